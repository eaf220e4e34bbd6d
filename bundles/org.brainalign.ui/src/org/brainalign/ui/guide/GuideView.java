package org.brainalign.ui.guide;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.ui.part.ViewPart;

/**
 * The guide view shows the BrainAlign guide ({@link Guide}) read-only: the sections listed on the left, the text on
 * the right with headings, bold and code spans styled; choosing a section scrolls to it.
 */
public class GuideView extends ViewPart {

    /** The view's id. */
    public static final String ID = "org.brainalign.ui.guide.GuideView";

    private StyledText text;
    private org.eclipse.swt.widgets.List index;
    private Guide guide;
    private final List<Integer> sectionLines = new ArrayList<>();

    @Override
    public void createPartControl(Composite parent) {
        SashForm sash = new SashForm(parent, SWT.HORIZONTAL);
        index = new org.eclipse.swt.widgets.List(sash, SWT.SINGLE | SWT.V_SCROLL);
        text = new StyledText(sash, SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL);
        text.setLeftMargin(12);
        text.setRightMargin(12);
        text.setTopMargin(8);
        // the index as wide as its longest title, so that none is cut; the text takes the rest
        sash.addListener(SWT.Resize, e -> {
            int total = sash.getClientArea().width;
            int wanted = index.computeSize(SWT.DEFAULT, SWT.DEFAULT).x + 8;
            if (total > 0) {
                int width = Math.min(wanted, total / 2);
                sash.setWeights(width, Math.max(1, total - width));
            }
        });
        try {
            guide = Guide.bundled();
            render();
        } catch (IOException e) {
            text.setText(e.getMessage());
        }
        index.addListener(SWT.Selection, e -> {
            int i = index.getSelectionIndex();
            if (i >= 0 && i < sectionLines.size()) {
                text.setTopIndex(sectionLines.get(i));
            }
        });
    }

    private void render() {
        StringBuilder b = new StringBuilder();
        List<StyleRange> styles = new ArrayList<>();
        Font heading = JFaceResources.getHeaderFont();
        Font code = JFaceResources.getTextFont();
        if (!guide.title().isEmpty()) {
            styles.add(range(b.length(), guide.title().length(), SWT.BOLD, heading));
            b.append(guide.title()).append("\n\n");
        }
        for (Guide.Section s : guide.sections()) {
            sectionLines.add(lineOf(b));
            if (!s.title().isEmpty()) {
                index.add(s.title());
                styles.add(range(b.length(), s.title().length(), SWT.BOLD, null));
                b.append(s.title()).append("\n\n");
            } else {
                index.add(guide.title().isEmpty() ? "Introduction" : guide.title());
            }
            for (String line : s.reflowed()) {
                String l = line.startsWith("- ") ? "  \u2022 " + line.substring(2) : line;
                appendSpans(b, l, styles, code);
                b.append('\n');
            }
            b.append('\n');
        }
        text.setText(b.toString());
        text.setStyleRanges(styles.toArray(StyleRange[]::new));
    }

    /** Appends a line, turning `code` and **bold** spans into styles and dropping their markers. */
    private static void appendSpans(StringBuilder b, String line, List<StyleRange> styles, Font code) {
        int i = 0;
        while (i < line.length()) {
            if (line.startsWith("**", i)) {
                int end = line.indexOf("**", i + 2);
                if (end > i) {
                    String span = line.substring(i + 2, end);
                    styles.add(range(b.length(), span.length(), SWT.BOLD, null));
                    b.append(span);
                    i = end + 2;
                    continue;
                }
            } else if (line.charAt(i) == '`') {
                int end = line.indexOf('`', i + 1);
                if (end > i) {
                    String span = line.substring(i + 1, end);
                    styles.add(range(b.length(), span.length(), SWT.NORMAL, code));
                    b.append(span);
                    i = end + 1;
                    continue;
                }
            }
            b.append(line.charAt(i));
            i++;
        }
    }

    private static StyleRange range(int start, int length, int fontStyle, Font font) {
        StyleRange r = new StyleRange();
        r.start = start;
        r.length = length;
        r.fontStyle = fontStyle;
        r.font = font;
        return r;
    }

    private static int lineOf(StringBuilder b) {
        int lines = 0;
        for (int i = 0; i < b.length(); i++) {
            if (b.charAt(i) == '\n') {
                lines++;
            }
        }
        return lines;
    }

    /** @return the guide shown, or null if it could not be read */
    public Guide guide() {
        return guide;
    }

    /** @return the text as shown */
    public String shownText() {
        return text.getText();
    }

    /**
     * Scrolls to a section.
     *
     * @param title the section's title
     * @return whether the guide has it
     */
    public boolean showSection(String title) {
        String[] items = index.getItems();
        for (int i = 0; i < items.length; i++) {
            if (items[i].equals(title)) {
                index.select(i);
                text.setTopIndex(sectionLines.get(i));
                return true;
            }
        }
        return false;
    }

    @Override
    public void setFocus() {
        text.setFocus();
    }
}
