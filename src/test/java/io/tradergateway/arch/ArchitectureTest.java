package io.tradergateway.arch;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The package rules of DESIGN.md ("Domain vs FIX", "One writer", "Inject a Clock"), checked on the main classes
 * (tests are excluded from the import: they may use QuickFIX/J and the wall clock freely).
 */
@AnalyzeClasses(packages = "io.tradergateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    static {
        // Rules look at our classes and at the names of what they call; loading all of QuickFIX/J, H2 and Jackson
        // from the classpath to resolve those names only costs time (seconds on a shared 2-core machine).
        ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
    }

    private static final String[] WHERE_WALL_CLOCK_IS_ALLOWED = {
            // app: Main builds the system clock and injects it; PlanFeeder is a CLI helper stamping sample plans.
            // simvenue: the simulated venue is a separate program that owns its own time.
            "io.tradergateway.app..", "io.tradergateway.simvenue.."};

    @ArchTest
    static final ArchRule quickfixStaysInTheFixAdapterAndTheSimVenue = noClasses()
            .that().resideOutsideOfPackages("io.tradergateway.fix..", "io.tradergateway.simvenue..")
            .should().dependOnClassesThat().resideInAnyPackage("quickfix..", "org.quickfixj..")
            .because("fix is the only package that translates FIX; the rest of the gateway speaks domain records");

    @ArchTest
    static final ArchRule domainLayersDoNotReachIntoAdaptersOrWiring = noClasses()
            .that().resideInAnyPackage(
                    "io.tradergateway.domain..", "io.tradergateway.plan..", "io.tradergateway.market..",
                    "io.tradergateway.routing..", "io.tradergateway.position..", "io.tradergateway.report..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.tradergateway.store..", "io.tradergateway.intake..", "io.tradergateway.app..")
            .because("persistence, HTTP intake and wiring are outer layers; the pipeline steps must not know them");

    @ArchTest
    static final ArchRule theEngineUsesPortsNotAdapters = noClasses()
            .that().resideInAPackage("io.tradergateway.execution..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.tradergateway.store..", "io.tradergateway.intake..", "io.tradergateway.app..",
                    "io.tradergateway.fix..", "io.tradergateway.simvenue..")
            .because("the engine talks to the journal and venues through TradeJournal and VenueGateway");

    @ArchTest
    static final ArchRule timeComesFromAnInjectedClock = noClasses()
            .that().resideOutsideOfPackages(WHERE_WALL_CLOCK_IS_ALLOWED)
            .should().callMethod(Instant.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .because("the engine and its collaborators read time from an injected java.time.Clock, so tests control it");

    @ArchTest
    static final ArchRule noOtherHiddenWallClockEither = noClasses()
            .that().resideOutsideOfPackages(WHERE_WALL_CLOCK_IS_ALLOWED)
            .should().callMethod(LocalDateTime.class, "now")
            .orShould().callMethod(OffsetDateTime.class, "now")
            .orShould().callMethod(ZonedDateTime.class, "now")
            .orShould().callMethod(LocalDate.class, "now")
            .orShould().callMethod(Clock.class, "systemUTC")
            .orShould().callMethod(Clock.class, "systemDefaultZone")
            .because("a system clock created outside app would bypass the injected one just like Instant.now()");

    /**
     * Guards against vacuous rules: the rules above, run on two offenders defined here (outside fix, simvenue and
     * app), must report them.
     */
    @Test
    void theRulesCatchAnOffender() {
        JavaClasses offenders = new ClassFileImporter().importClasses(WallClockReader.class, FixSpeaker.class);

        assertThatThrownBy(() -> timeComesFromAnInjectedClock.check(offenders)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("WallClockReader").hasMessageContaining("Instant.now()")
                .hasMessageContaining("System.currentTimeMillis()");
        assertThatThrownBy(() -> noOtherHiddenWallClockEither.check(offenders)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Clock.systemUTC()");
        assertThatThrownBy(() -> quickfixStaysInTheFixAdapterAndTheSimVenue.check(offenders))
                .isInstanceOf(AssertionError.class).hasMessageContaining("FixSpeaker");
    }

    static final class WallClockReader {
        long[] read() {
            return new long[]{Instant.now().toEpochMilli(), System.currentTimeMillis(), Clock.systemUTC().millis()};
        }
    }

    static final class FixSpeaker {
        String type(quickfix.Message message) throws quickfix.FieldNotFound {
            return message.getHeader().getString(35);
        }
    }
}
