package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.brainalign.ui.guide.Guide;
import org.brainalign.ui.guide.GuideView;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.Test;

/** Help > BrainAlign Guide in the real workbench: the command opens the guide, read from the bundle, styled. */
public class GuideTest {

    @Test
    public void theGuideCommandShowsTheBundledGuide() throws Exception {
        IHandlerService handlers = PlatformUI.getWorkbench().getActiveWorkbenchWindow()
                .getService(IHandlerService.class);
        handlers.executeCommand("org.brainalign.ui.commands.openGuide", null);
        Workbench.settle();
        GuideView view = (GuideView) Workbench.page().findView(GuideView.ID);
        assertNotNull(view, "the command opened no guide");
        Guide guide = view.guide();
        assertNotNull(guide, view.shownText());
        List<String> titles = guide.sections().stream().map(Guide.Section::title).toList();
        for (String wanted : new String[] { "Import a subject", "Run the demo", "Read the charts" }) {
            assertTrue(titles.contains(wanted), wanted + " is not among " + titles);
            assertTrue(view.showSection(wanted));
        }
        String shown = view.shownText();
        // markup is turned into styles, not shown
        assertFalse(shown.contains("**"), "bold markers shown");
        assertFalse(shown.contains("`"), "code markers shown");
        assertTrue(shown.contains("File > New > Other... > BrainAlign > BrainAlign demo project"), shown);
        Workbench.page().hideView(view);
    }

    @Test
    public void paragraphsAndListItemsReflowIntoOneLineEach() {
        Guide g = Guide.parse("## One\nA sentence wrapped\nin the source.\n\n- an item wrapped\n  in two lines\n"
                + "- a second item\nafter the list\n");
        assertEquals(List.of("A sentence wrapped in the source.", "", "- an item wrapped in two lines",
                "- a second item after the list"), g.sections().get(0).reflowed());
        // in the bundled guide, no shown line ends inside a sentence
        GuideView view = (GuideView) assertDoesNotThrow(() -> Workbench.page().showView(GuideView.ID));
        Workbench.settle();
        for (String line : view.shownText().split("\n")) {
            assertTrue(line.isEmpty() || !Character.isLowerCase(line.charAt(line.length() - 1))
                    || line.equals(view.guide().title())
                    || view.guide().sections().stream().anyMatch(s -> s.title().equals(line)),
                    "a line breaks mid-sentence: " + line);
        }
    }

    @Test
    public void sectionsAreSplitAtTheirHeadings() {
        Guide g = Guide.parse("# Title\nintro line\n\n## One\nfirst\n- item\n## Two\nsecond\n");
        assertEquals("Title", g.title());
        assertEquals(List.of("", "One", "Two"), g.sections().stream().map(Guide.Section::title).toList());
        assertEquals("first\n- item", g.sections().get(1).body());
        assertEquals("second", g.sections().get(2).body());
    }
}
