package org.brainalign.ui.workspace;

import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.jface.resource.ImageRegistry;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.ResourceLocator;
import org.eclipse.swt.graphics.Image;

/** The ui bundle's icons (16 x 16 PNGs drawn for it, in icons/), shared through JFace's image registry. */
public final class Icons {

    /** A NIfTI volume. */
    public static final String VOLUME = "volume.png";
    /** A run folder. */
    public static final String RUN = "run.png";
    /** A subject folder. */
    public static final String SUBJECT = "subject.png";
    /** The features folder. */
    public static final String FEATURES = "features.png";
    /** BrainAlign itself (projects, the perspective). */
    public static final String BRAINALIGN = "brainalign.png";

    private Icons() {
    }

    /**
     * @param name one of the constants
     * @return the descriptor of that icon
     */
    public static ImageDescriptor descriptor(String name) {
        return ResourceLocator.imageDescriptorFromBundle(Icons.class, "icons/" + name)
                .orElse(ImageDescriptor.getMissingImageDescriptor());
    }

    /**
     * @param name one of the constants
     * @return the shared image (do not dispose it); call on the UI thread
     */
    public static Image image(String name) {
        ImageRegistry registry = JFaceResources.getImageRegistry();
        String key = "org.brainalign.ui/" + name;
        Image image = registry.get(key);
        if (image == null) {
            registry.put(key, descriptor(name));
            image = registry.get(key);
        }
        return image;
    }
}
