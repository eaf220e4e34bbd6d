package org.brainalign.ui.workspace;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.swt.graphics.Image;
import org.eclipse.ui.IMemento;
import org.eclipse.ui.navigator.ICommonContentExtensionSite;
import org.eclipse.ui.navigator.ICommonLabelProvider;

/**
 * The data label provider gives BrainAlign's things their own icons in the Project Explorer: NIfTI volumes, run
 * folders, subject folders, and the features folder of a BrainAlign project. It leaves the text to the resources'
 * own labels (returning null), which {@link DataDecorator} then completes.
 */
public class DataLabelProvider extends LabelProvider implements ICommonLabelProvider {

    @Override
    public void init(ICommonContentExtensionSite site) {
        // nothing to configure
    }

    @Override
    public Image getImage(Object element) {
        String icon = iconOf(element);
        return icon == null ? null : Icons.image(icon);
    }

    /**
     * @param element an element of the Project Explorer
     * @return the name of its icon ({@link Icons}), or null to leave it to the resources' labels
     */
    public static String iconOf(Object element) {
        if (element instanceof IFile f && ProjectLayout.isNiftiName(f.getName())) {
            return Icons.VOLUME;
        }
        if (element instanceof IFolder folder && folder.isAccessible()) {
            if (ProjectLayout.isRunFolder(folder)) {
                return Icons.RUN;
            }
            if (ProjectLayout.isSubjectFolder(folder)) {
                return Icons.SUBJECT;
            }
            if (ProjectLayout.isLayoutFolder(folder) && ProjectLayout.FEATURES.equals(folder.getName())) {
                return Icons.FEATURES;
            }
        }
        return null;
    }

    @Override
    public String getText(Object element) {
        return null;
    }

    @Override
    public String getDescription(Object element) {
        String icon = iconOf(element);
        if (icon == null) {
            return null;
        }
        return switch (icon) {
            case Icons.VOLUME -> "NIfTI volume: double-click to open it in the volume viewer";
            case Icons.RUN -> "Run: double-click to open its layer map";
            case Icons.SUBJECT -> "Subject";
            default -> "Feature stores";
        };
    }

    @Override
    public void restoreState(IMemento memento) {
        // no state
    }

    @Override
    public void saveState(IMemento memento) {
        // no state
    }
}
