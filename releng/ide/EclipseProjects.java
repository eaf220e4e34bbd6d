import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Writes, or with --check compares, the Eclipse project files of every bundle, feature and the target platform:
 * .project, .classpath and the .settings that give each project Java 21, UTF-8, LF line ends, the formatter
 * profile of releng/formatter.xml (the one the build checks) and the save actions. Everything is derived from
 * what the build already reads (MANIFEST.MF, build.properties, formatter.xml), so the IDE cannot drift from the
 * build: run-tests runs the check. Run from the checkout's root: java releng/ide/EclipseProjects.java [--check]
 */
public class EclipseProjects {

    /** The Java the bundles require (Bundle-RequiredExecutionEnvironment). */
    private static final String JAVA = "21";

    /** Bundles that compile against the incubating Vector API, which a JDK does not resolve unless asked. */
    private static final List<String> VECTOR_API = List.of("org.brainalign.engine", "org.brainalign.engine.tests",
            "org.brainalign.cli");

    private final Map<Path, String> files = new TreeMap<>();

    public static void main(String[] args) throws Exception {
        boolean check = args.length == 1 && args[0].equals("--check");
        if (args.length > 1 || (args.length == 1 && !check)) {
            System.err.println("usage: java releng/ide/EclipseProjects.java [--check]");
            System.exit(2);
        }
        Path root = Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(root.resolve("releng/formatter.xml"))) {
            System.err.println("EclipseProjects: run it from the checkout's root (releng/formatter.xml not found)");
            System.exit(2);
        }
        EclipseProjects p = new EclipseProjects();
        p.collect(root);
        System.exit(check ? p.check() : p.write());
    }

    private void collect(Path root) throws Exception {
        String jdt = jdtCorePrefs(root.resolve("releng/formatter.xml"));
        try (Stream<Path> s = Files.list(root.resolve("bundles"))) {
            for (Path b : s.sorted().toList()) {
                if (Files.isRegularFile(b.resolve("META-INF/MANIFEST.MF"))) {
                    bundle(b, jdt);
                }
            }
        }
        try (Stream<Path> s = Files.list(root.resolve("features"))) {
            for (Path f : s.sorted().toList()) {
                if (Files.isRegularFile(f.resolve("feature.xml"))) {
                    files.put(f.resolve(".project"), project(f.getFileName().toString(),
                            List.of("org.eclipse.pde.FeatureBuilder"), List.of("org.eclipse.pde.FeatureNature")));
                    common(f);
                }
            }
        }
        Path target = root.resolve("target-platform");
        files.put(target.resolve(".project"), project("brainalign-target-platform", List.of(), List.of()));
        common(target);
    }

    private void bundle(Path b, String jdt) throws IOException {
        String name = b.getFileName().toString();
        files.put(b.resolve(".project"), project(name,
                List.of("org.eclipse.jdt.core.javabuilder", "org.eclipse.pde.ManifestBuilder",
                        "org.eclipse.pde.SchemaBuilder"),
                List.of("org.eclipse.pde.PluginNature", "org.eclipse.jdt.core.javanature")));
        files.put(b.resolve(".classpath"), classpath(b, name));
        files.put(b.resolve(".settings/org.eclipse.jdt.core.prefs"), jdt);
        files.put(b.resolve(".settings/org.eclipse.jdt.ui.prefs"), jdtUiPrefs());
        files.put(b.resolve(".settings/org.eclipse.pde.core.prefs"), prefs(Map.of("BUNDLE_ROOT_PATH", "")));
        common(b);
    }

    /** Settings every project shares: UTF-8 and LF, as the build writes and the formatter checks. */
    private void common(Path p) {
        files.put(p.resolve(".settings/org.eclipse.core.resources.prefs"), prefs(Map.of("encoding/<project>", "UTF-8")));
        files.put(p.resolve(".settings/org.eclipse.core.runtime.prefs"), prefs(Map.of("line.separator", "\\n")));
    }

    private static String project(String name, List<String> builders, List<String> natures) {
        StringBuilder s = new StringBuilder();
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<projectDescription>\n");
        s.append("\t<name>").append(name).append("</name>\n\t<comment></comment>\n\t<projects>\n\t</projects>\n");
        s.append("\t<buildSpec>\n");
        for (String b : builders) {
            s.append("\t\t<buildCommand>\n\t\t\t<name>").append(b)
                    .append("</name>\n\t\t\t<arguments>\n\t\t\t</arguments>\n\t\t</buildCommand>\n");
        }
        s.append("\t</buildSpec>\n\t<natures>\n");
        for (String n : natures) {
            s.append("\t\t<nature>").append(n).append("</nature>\n");
        }
        s.append("\t</natures>\n</projectDescription>\n");
        return s.toString();
    }

    /** The class path PDE would compute: the JRE, the required bundles, the source folders and the embedded jars. */
    private static String classpath(Path b, String name) throws IOException {
        Properties build = new Properties();
        try (InputStream in = Files.newInputStream(b.resolve("build.properties"))) {
            build.load(in);
        }
        Manifest mf;
        try (InputStream in = Files.newInputStream(b.resolve("META-INF/MANIFEST.MF"))) {
            mf = new Manifest(in);
        }
        StringBuilder s = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<classpath>\n");
        String jre = "org.eclipse.jdt.launching.JRE_CONTAINER/org.eclipse.jdt.internal.debug.ui.launcher.StandardVMType/JavaSE-"
                + JAVA;
        if (VECTOR_API.contains(name)) {
            // JDT has no add-modules: the root modules are java.se plus the incubating module
            s.append("\t<classpathentry kind=\"con\" path=\"").append(jre).append("\">\n")
                    .append("\t\t<attributes>\n\t\t\t<attribute name=\"module\" value=\"true\"/>\n")
                    .append("\t\t\t<attribute name=\"limit-modules\" value=\"java.se,jdk.incubator.vector\"/>\n")
                    .append("\t\t</attributes>\n\t</classpathentry>\n");
        } else {
            s.append("\t<classpathentry kind=\"con\" path=\"").append(jre).append("\"/>\n");
        }
        s.append("\t<classpathentry kind=\"con\" path=\"org.eclipse.pde.core.requiredPlugins\"/>\n");
        for (String src : build.getProperty("source..", "src/").split(",")) {
            String folder = src.trim().replaceAll("/$", "");
            s.append("\t<classpathentry kind=\"src\" path=\"").append(folder).append("\"/>\n");
        }
        String bcp = mf.getMainAttributes().getValue("Bundle-ClassPath");
        if (bcp != null) {
            for (String e : bcp.split(",")) {
                String jar = e.trim();
                if (!jar.equals(".")) {
                    s.append("\t<classpathentry exported=\"true\" kind=\"lib\" path=\"").append(jar).append("\"/>\n");
                }
            }
        }
        String out = build.getProperty("output..", "bin/").trim().replaceAll("/$", "");
        s.append("\t<classpathentry kind=\"output\" path=\"").append(out).append("\"/>\n</classpath>\n");
        return s.toString();
    }

    /** JDT's compiler settings and, unchanged, every formatter setting of the profile the build checks. */
    private static String jdtCorePrefs(Path formatter) throws Exception {
        Map<String, String> p = new TreeMap<>();
        NodeList settings = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(formatter.toFile())
                .getElementsByTagName("setting");
        for (int i = 0; i < settings.getLength(); i++) {
            Element e = (Element) settings.item(i);
            p.put(e.getAttribute("id"), e.getAttribute("value"));
        }
        p.put("org.eclipse.jdt.core.compiler.codegen.targetPlatform", JAVA);
        p.put("org.eclipse.jdt.core.compiler.compliance", JAVA);
        p.put("org.eclipse.jdt.core.compiler.source", JAVA);
        p.put("org.eclipse.jdt.core.compiler.release", "enabled");
        // internal packages of other bundles (x-internal, x-friends) are flagged, as docs/architecture.md says
        p.put("org.eclipse.jdt.core.compiler.problem.discouragedReference", "warning");
        p.put("org.eclipse.jdt.core.compiler.problem.forbiddenReference", "error");
        p.put("org.eclipse.jdt.core.javaFormatter", "org.eclipse.jdt.core.defaultJavaFormatter");
        return prefs(p);
    }

    /** Save actions: format every line and organise imports, in the order the sources use. */
    private static String jdtUiPrefs() {
        Map<String, String> p = new TreeMap<>();
        p.put("formatter_profile", "_BrainAlign");
        p.put("formatter_settings_version", "23");
        p.put("org.eclipse.jdt.ui.importorder", "\\#;java;javax;org;com;");
        p.put("org.eclipse.jdt.ui.ondemandthreshold", "99");
        p.put("org.eclipse.jdt.ui.staticondemandthreshold", "99");
        p.put("editor_save_participant_org.eclipse.jdt.ui.postsavelistener.cleanup", "true");
        p.put("sp_cleanup.on_save_use_additional_actions", "true");
        p.put("sp_cleanup.format_source_code", "true");
        p.put("sp_cleanup.format_source_code_changes_only", "false");
        p.put("sp_cleanup.organize_imports", "true");
        p.put("sp_cleanup.remove_unused_imports", "true");
        p.put("sp_cleanup.remove_trailing_whitespaces", "true");
        p.put("sp_cleanup.remove_trailing_whitespaces_all", "true");
        return prefs(p);
    }

    private static String prefs(Map<String, String> entries) {
        StringBuilder s = new StringBuilder("eclipse.preferences.version=1\n");
        new TreeMap<>(entries).forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
        return s.toString();
    }

    private int write() throws IOException {
        for (Map.Entry<Path, String> e : files.entrySet()) {
            Files.createDirectories(e.getKey().getParent());
            Files.writeString(e.getKey(), e.getValue(), StandardCharsets.UTF_8);
        }
        System.out.println("EclipseProjects: wrote " + files.size() + " files");
        return 0;
    }

    private int check() throws IOException {
        List<Path> stale = new ArrayList<>();
        for (Map.Entry<Path, String> e : files.entrySet()) {
            if (!Files.isRegularFile(e.getKey())
                    || !Files.readString(e.getKey(), StandardCharsets.UTF_8).equals(e.getValue())) {
                stale.add(e.getKey());
            }
        }
        for (Path p : stale) {
            System.err.println("EclipseProjects: " + Path.of("").toAbsolutePath().relativize(p)
                    + " is missing or differs from what the build files say");
        }
        if (!stale.isEmpty()) {
            System.err.println("EclipseProjects: run java releng/ide/EclipseProjects.java and commit the result");
            return 1;
        }
        System.out.println("EclipseProjects: " + files.size() + " IDE files agree with the build");
        return 0;
    }
}
