package org.brainalign.ui.workspace;

import org.eclipse.jface.viewers.ITreeContentProvider;

/**
 * The content provider of BrainAlign's navigator extension: it adds no elements (the resources extension lists the
 * files), since the extension exists only to label and open them.
 */
public class NoChildren implements ITreeContentProvider {

    private static final Object[] NONE = new Object[0];

    @Override
    public Object[] getElements(Object input) {
        return NONE;
    }

    @Override
    public Object[] getChildren(Object parent) {
        return NONE;
    }

    @Override
    public Object getParent(Object element) {
        return null;
    }

    @Override
    public boolean hasChildren(Object element) {
        return false;
    }
}
