package io.tradergateway.execution;

import io.tradergateway.report.Json;
import io.tradergateway.report.JsonText;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** A plan's progress is handed to the journal as a snapshot whose JSON is written later, on another thread. */
class PlanProgressTest {

    @Test
    void aSnapshotCopiesEveryField() throws Exception {
        PlanProgress progress = new PlanProgress();
        List<String> fields = setEveryField(progress);

        PlanProgress snapshot = progress.snapshot();

        for (String name : fields) {
            Field f = PlanProgress.class.getDeclaredField(name);
            f.setAccessible(true);
            assertThat(f.get(snapshot)).as(name).isEqualTo(f.get(progress));
        }
        assertThat(Json.write(snapshot)).isEqualTo(Json.write(progress));
    }

    @Test
    void laterChangesToTheProgressDoNotReachTheSnapshotsJson() {
        PlanProgress progress = new PlanProgress();
        progress.triedVenues.add("SIM_A");
        progress.attention.put("C-1", "cancel refused");
        JsonText handedOver = JsonText.later(progress.snapshot());
        String before = Json.write(progress);

        progress.triedVenues.add("SIM_B");
        progress.attention.put("C-2", "cancel refused");
        progress.addEntryFill(new BigDecimal("10"), new BigDecimal("101.5"), BigDecimal.ONE);
        progress.state = PlanState.OPEN;

        assertThat(handedOver.text()).isEqualTo(before).doesNotContain("SIM_B").doesNotContain("C-2");
        assertThat(Json.write(progress)).isNotEqualTo(before);
    }

    /** Gives every instance field a value no new progress has, so a field the copy forgets shows; returns their names. */
    private static List<String> setEveryField(PlanProgress p) throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        int n = 1;
        for (Field f : PlanProgress.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            f.setAccessible(true);
            Class<?> type = f.getType();
            Object value;
            if (type == PlanState.class) value = PlanState.OPEN;
            else if (type == String.class) value = "text-" + n;
            else if (type == BigDecimal.class) value = new BigDecimal(n + ".25");
            else if (type == double.class) value = n + 0.5;
            else if (type == int.class) value = n;
            else if (type == boolean.class) value = true;
            else if (type == Long.class) value = (long) n;
            else if (type == Instant.class) value = Instant.parse("2026-12-01T10:00:00Z").plusSeconds(n);
            else if (type == List.class) value = new ArrayList<>(List.of("v-" + n));
            else if (type == Map.class) value = new TreeMap<>(Map.of("k-" + n, "v-" + n));
            else throw new AssertionError("a field of a type this test does not know, add it here: " + f);
            f.set(p, value);
            names.add(f.getName());
            n++;
        }
        assertThat(names).hasSizeGreaterThan(30);
        return names;
    }
}
