package org.brainalign.ui;

import java.net.URL;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.core.runtime.Platform;
import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.ui.application.IWorkbenchConfigurer;
import org.osgi.framework.Bundle;

/**
 * The IDE's images the standalone workbench shows, declared by key as the Eclipse IDE's own application declares
 * them: org.eclipse.ui.ide names them (IDE.SharedImages) but leaves their declaration to the application, so without
 * it every project's icon is missing, and the project nature's overlay on it throws (a "Problem Occurred" pop-up on
 * every project shown). Only the images of what the product offers are declared: projects, the wizards of File, and
 * the paths of problems.
 */
public final class IdeImages {

    /** The bundle the images are in. */
    public static final String BUNDLE = "org.eclipse.ui.ide";

    private static final Map<String, String> IMAGES = new LinkedHashMap<>();

    static {
        IMAGES.put("IMG_OBJ_PROJECT", "icons/full/obj16/prj_obj.svg");
        IMAGES.put("IMG_OBJ_PROJECT_CLOSED", "icons/full/obj16/cprj_obj.svg");
        IMAGES.put("IMG_OPEN_MARKER", "icons/full/elcl16/gotoobj_tsk.svg");
        IMAGES.put("IMG_OBJS_TASK_TSK", "icons/full/obj16/taskmrk_tsk.svg");
        IMAGES.put("IMG_OBJS_BKMRK_TSK", "icons/full/obj16/bkmrk_tsk.svg");
        IMAGES.put("IMG_OBJS_ERROR_PATH", "icons/full/obj16/error_tsk.svg");
        IMAGES.put("IMG_OBJS_WARNING_PATH", "icons/full/obj16/warn_tsk.svg");
        IMAGES.put("IMG_OBJS_INFO_PATH", "icons/full/obj16/info_tsk.svg");
        IMAGES.put("IMG_WIZBAN_NEWPRJ_WIZ", "icons/full/wizban/newprj_wiz.svg");
        IMAGES.put("IMG_WIZBAN_NEWFOLDER_WIZ", "icons/full/wizban/newfolder_wiz.svg");
        IMAGES.put("IMG_WIZBAN_NEWFILE_WIZ", "icons/full/wizban/newfile_wiz.svg");
        IMAGES.put("IMG_WIZBAN_IMPORTDIR_WIZ", "icons/full/wizban/importdir_wiz.svg");
        IMAGES.put("IMG_WIZBAN_IMPORTZIP_WIZ", "icons/full/wizban/importzip_wiz.svg");
        IMAGES.put("IMG_WIZBAN_EXPORTDIR_WIZ", "icons/full/wizban/exportdir_wiz.svg");
        IMAGES.put("IMG_WIZBAN_EXPORTZIP_WIZ", "icons/full/wizban/exportzip_wiz.svg");
        IMAGES.put("IMG_DLGBAN_SAVEAS_DLG", "icons/full/wizban/saveas_wiz.svg");
    }

    private IdeImages() {
    }

    /** @return image key to its file in {@link #BUNDLE} (unmodifiable) */
    public static Map<String, String> files() {
        return Collections.unmodifiableMap(IMAGES);
    }

    /**
     * @param key an image key of {@link #files()}
     * @return its descriptor, or null when the bundle or the file is missing
     */
    public static ImageDescriptor descriptor(String key) {
        Bundle bundle = Platform.getBundle(BUNDLE);
        URL url = bundle == null ? null : bundle.getEntry(IMAGES.get(key));
        return url == null ? null : ImageDescriptor.createFromURL(url);
    }

    /**
     * Declares the images to the workbench (call from the advisor's initialize).
     *
     * @param configurer the workbench's configurer
     */
    public static void declare(IWorkbenchConfigurer configurer) {
        for (String key : IMAGES.keySet()) {
            ImageDescriptor d = descriptor(key);
            if (d != null) {
                configurer.declareImage(key, d, true);
            }
        }
    }
}
