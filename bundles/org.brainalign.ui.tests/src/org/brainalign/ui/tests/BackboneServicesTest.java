package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;

import org.brainalign.engine.backbone.Backbone;
import org.brainalign.engine.backbone.BackboneFamilies;
import org.brainalign.engine.backbone.BackboneFamily;
import org.brainalign.engine.backbone.BackboneOptions;
import org.brainalign.engine.backbone.Checkpoint;
import org.brainalign.engine.backbone.CheckpointException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * The engine's components are declared by annotation and their XML is written by the build: in a running platform
 * with the component runtime, every built-in backbone family is a service found by its id, and a family another bundle
 * registers joins the registry by id and leaves it when unregistered.
 */
public class BackboneServicesTest {

    private static BundleContext context;

    @BeforeAll
    static void startEngine() throws Exception {
        Bundle engine = FrameworkUtil.getBundle(BackboneFamily.class);
        if (engine.getState() != Bundle.ACTIVE) {
            // the component runtime reads the components of started bundles only
            engine.start(Bundle.START_TRANSIENT);
        }
        context = FrameworkUtil.getBundle(BackboneServicesTest.class).getBundleContext();
    }

    private static Collection<ServiceReference<BackboneFamily>> withId(String id) throws Exception {
        return context.getServiceReferences(BackboneFamily.class, "(" + BackboneFamily.ID_PROPERTY + "=" + id + ")");
    }

    @Test
    public void everyBuiltInFamilyIsAServiceFoundById() throws Exception {
        List<String> ids = new ArrayList<>();
        for (BackboneFamily family : BackboneFamilies.all()) {
            Collection<ServiceReference<BackboneFamily>> found = withId(family.id());
            assertEquals(1, found.size(), "services with id " + family.id());
            ServiceReference<BackboneFamily> ref = found.iterator().next();
            try {
                BackboneFamily service = context.getService(ref);
                assertEquals(family.id(), service.id());
                assertSame(family.getClass(), service.getClass());
            } finally {
                context.ungetService(ref);
            }
            ids.add(family.id());
        }
        assertEquals(List.of("hf-vit", "clip", "dinov2", "sam", "torchvision-vit", "timm-vit", "openclip-vit",
                "hub-dinov2", "sam-encoder"), ids);
    }

    @Test
    public void aFamilyRegisteredElsewhereJoinsTheRegistryById() throws Exception {
        BackboneFamily planted = new BackboneFamily() {

            @Override
            public String id() {
                return "planted-family";
            }

            @Override
            public String description() {
                return "a family registered by a test";
            }

            @Override
            public boolean recognises(Checkpoint checkpoint) {
                return false;
            }

            @Override
            public Backbone load(Checkpoint checkpoint, BackboneOptions options) throws CheckpointException {
                throw new CheckpointException("a test family loads nothing");
            }
        };
        assertThrows(IllegalArgumentException.class, () -> BackboneFamilies.get("planted-family"));
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(BackboneFamily.ID_PROPERTY, planted.id());
        ServiceRegistration<BackboneFamily> registration = context.registerService(BackboneFamily.class, planted,
                properties);
        try {
            assertSame(planted, BackboneFamilies.get("planted-family"));
        } finally {
            registration.unregister();
        }
        assertThrows(IllegalArgumentException.class, () -> BackboneFamilies.get("planted-family"));
    }
}
