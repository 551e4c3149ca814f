package io.tradergateway.simvenue;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The reference mid is geometric Brownian motion: drift and volatility both matter, and the seed fixes the path. */
class PriceProcessTest {
    private static final double SECONDS_PER_YEAR = 252 * 6.5 * 3600;
    private static final Duration STEP = Duration.ofSeconds(1);
    private static final double TIME_SCALE = 60;
    /** One step in years: 1 s of real time is 60 simulated seconds. */
    private static final double DT = STEP.toNanos() / 1e9 * TIME_SCALE / SECONDS_PER_YEAR;
    private static final int STEPS = 20_000;

    private static PriceProcess process(double drift, double volatility, long seed) {
        SymbolSpec spec = new SymbolSpec("TEST", new BigDecimal("100.00"), drift, volatility, BigDecimal.ONE, new BigDecimal("0.01"));
        return new PriceProcess(spec, new SplittableRandom(seed), TIME_SCALE);
    }

    private static double[] logReturns(PriceProcess p, int steps) {
        double[] out = new double[steps];
        double previous = p.exactMid();
        for (int i = 0; i < steps; i++) {
            p.step(STEP);
            out[i] = Math.log(p.exactMid() / previous);
            previous = p.exactMid();
        }
        return out;
    }

    private static double mean(double[] xs) {
        double sum = 0;
        for (double x : xs) sum += x;
        return sum / xs.length;
    }

    private static double stdDev(double[] xs) {
        double m = mean(xs);
        double sq = 0;
        for (double x : xs) sq += (x - m) * (x - m);
        return Math.sqrt(sq / (xs.length - 1));
    }

    @Test
    void withoutVolatilityTheMidFollowsTheDriftExactly() {
        double drift = 3.0; // large, so that 20,000 steps move the price visibly
        PriceProcess p = process(drift, 0.0, 1);

        for (int i = 0; i < STEPS; i++) p.step(STEP);

        double expected = 100.0 * Math.exp(drift * DT * STEPS);
        assertThat(expected).isGreaterThan(110.0);
        assertThat(p.exactMid()).isCloseTo(expected, within(expected * 1e-9));
        assertThat(p.mid()).isEqualByComparingTo(BigDecimal.valueOf(expected).setScale(2, RoundingMode.HALF_EVEN));
        // No drift and no volatility: the mid does not move at all.
        PriceProcess flat = process(0.0, 0.0, 1);
        for (int i = 0; i < 1000; i++) flat.step(STEP);
        assertThat(flat.mid()).isEqualByComparingTo("100.00");
    }

    @Test
    void realisedVolatilityOfLogReturnsMatchesSigmaTimesRootDt() {
        for (double sigma : new double[]{0.1, 0.3, 0.9}) {
            double[] returns = logReturns(process(0.05, sigma, 11), STEPS);

            double expectedStd = sigma * Math.sqrt(DT);
            // The sample std dev of 20,000 normal draws has a standard error of 0.5 %: 2 % is four of them.
            assertThat(stdDev(returns)).as("sigma %s", sigma).isCloseTo(expectedStd, within(expectedStd * 0.02));
            // The mean log return is (mu - sigma^2/2) dt, within 4 standard errors of the sample mean.
            double standardError = expectedStd / Math.sqrt(STEPS);
            assertThat(mean(returns)).as("sigma %s", sigma)
                    .isCloseTo((0.05 - sigma * sigma / 2) * DT, within(4 * standardError));
        }
    }

    @Test
    void theSameSeedGivesTheSamePathAndAnotherSeedAnother() {
        PriceProcess a = process(0.05, 0.3, 42);
        PriceProcess b = process(0.05, 0.3, 42);
        PriceProcess c = process(0.05, 0.3, 43);
        boolean differs = false;
        for (int i = 0; i < 1000; i++) {
            BigDecimal ma = a.step(STEP);
            assertThat(b.step(STEP)).isEqualByComparingTo(ma);
            assertThat(b.exactMid()).isEqualTo(a.exactMid());
            c.step(STEP);
            differs |= c.exactMid() != a.exactMid();
        }
        assertThat(differs).isTrue();
    }
}
