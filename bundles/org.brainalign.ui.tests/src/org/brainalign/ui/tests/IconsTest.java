package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.brainalign.ui.IdeImages;
import org.brainalign.ui.workspace.BrainAlignNature;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.Platform;
import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.jface.viewers.DecorationOverlayIcon;
import org.eclipse.jface.viewers.IDecoration;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.application.IWorkbenchConfigurer;
import org.eclipse.ui.model.WorkbenchLabelProvider;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every icon the workbench shows renders: the platform's SVG icons need SWT's SVG rasterizer, which SPI Fly wires up
 * (on JDK 25 it failed to, with an ASM too old for the JDK's class files, and every tab with an SVG icon threw); the
 * IDE images the product declares itself (without them, projects had no icon and the nature's overlay threw); and
 * every icon of the BrainAlign bundle's plugin.xml.
 */
public class IconsTest {

    private static ImageData render(ImageDescriptor d, String what) {
        assertNotNull(d, what + " has no descriptor");
        ImageData data = d.getImageData(100);
        assertNotNull(data, what + " does not render");
        return data;
    }

    @Test
    public void svgIconsRender() {
        ImageData project = render(IdeImages.descriptor("IMG_OBJ_PROJECT"), "the project icon (an SVG)");
        assertEquals(16, project.width);
        assertEquals(16, project.height);
        // drawn, not blank: some pixels are opaque and some are not
        int opaque = 0;
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                opaque += project.getAlpha(x, y) > 128 ? 1 : 0;
            }
        }
        assertTrue(opaque > 20 && opaque < 256, opaque + " opaque pixels of 256");
    }

    @Test
    public void theProductDeclaresEveryIdeImageItShows() {
        Map<String, ImageDescriptor> declared = new LinkedHashMap<>();
        IWorkbenchConfigurer configurer = (IWorkbenchConfigurer) Proxy.newProxyInstance(
                IconsTest.class.getClassLoader(), new Class<?>[] { IWorkbenchConfigurer.class },
                (proxy, method, args) -> {
                    if (method.getName().equals("declareImage")) {
                        declared.put((String) args[0], (ImageDescriptor) args[1]);
                    }
                    return null;
                });
        IdeImages.declare(configurer);
        assertEquals(IdeImages.files().keySet(), declared.keySet(), "an image is missing from " + IdeImages.BUNDLE);
        for (Map.Entry<String, ImageDescriptor> e : declared.entrySet()) {
            render(e.getValue(), e.getKey());
        }
        // the project icon with the BrainAlign nature's overlay, as the Project Explorer builds it
        ImageDescriptor nature = ImageDescriptor.createFromURL(
                Platform.getBundle("org.brainalign.ui").getEntry("icons/project-overlay.png"));
        Image overlaid = new DecorationOverlayIcon(declared.get("IMG_OBJ_PROJECT"), nature, IDecoration.TOP_RIGHT)
                .createImage(Display.getCurrent());
        try {
            assertEquals(16, overlaid.getBounds().width);
        } finally {
            overlaid.dispose();
        }
    }

    @Test
    public void aBrainAlignProjectShowsItsIcon() throws Exception {
        IProject project = Workbench.freshProject("icons-test");
        assertTrue(project.hasNature(BrainAlignNature.ID));
        WorkbenchLabelProvider labels = new WorkbenchLabelProvider();
        try {
            Image image = labels.getImage(project);
            assertNotNull(image, "the project has no icon");
            assertEquals(16, image.getBounds().width);
        } finally {
            labels.dispose();
        }
    }

    @Test
    public void everyIconOfThePluginXmlRenders() throws Exception {
        Bundle bundle = Platform.getBundle("org.brainalign.ui");
        URL pluginXml = bundle.getEntry("plugin.xml");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pluginXml.openStream());
        List<String> icons = new ArrayList<>();
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            String icon = ((Element) all.item(i)).getAttribute("icon");
            if (!icon.isEmpty() && !icons.contains(icon)) {
                icons.add(icon);
            }
        }
        assertTrue(icons.size() >= 5, "icons found: " + icons);
        for (String icon : icons) {
            URL url = bundle.getEntry(icon);
            assertNotNull(url, icon + " is missing from the bundle");
            render(ImageDescriptor.createFromURL(url), icon);
        }
    }
}
