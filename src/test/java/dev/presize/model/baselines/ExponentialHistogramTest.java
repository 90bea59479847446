package dev.presize.model.baselines;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The histogram against VPA's own definitions (vertical-pod-autoscaler/pkg/recommender/util):
 * bucket {@code i} starts at {@code first × (ratio^i − 1) / (ratio − 1)}, a percentile is the
 * <em>end</em> of the bucket where the cumulative weight reaches it, the last bucket answers its start,
 * and a sample's weight halves per half-life of age. Expected values are written out as numbers
 * (computed by hand from those formulas), not recomputed with the code under test.
 */
class ExponentialHistogramTest {

    private static final double DAY = 86_400;

    /** VPA's CPU histogram: 0.01 core first bucket, 5 % growth, up to 1000 cores. */
    private static ExponentialHistogram cpu(long reference) {
        return new ExponentialHistogram(1000.0, 0.01, 1.05, DAY, reference);
    }

    @Test
    void percentileIsTheEndOfTheBucketHoldingTheValue() {
        ExponentialHistogram h = cpu(0);
        h.add(1.0, 1, 0);
        // 1.0 core: bucket floor(ln(1.0 × 0.05 / 0.01 + 1) / ln 1.05) = floor(36.72) = 36, which ends
        // where bucket 37 starts: 0.01 × (1.05^37 − 1) / 0.05 = 1.016281...
        assertEquals(1.0162813885540918, h.percentile(0.5), 1e-12);
        assertEquals(1.0162813885540918, h.percentile(0.95), 1e-12);
    }

    @Test
    void valuesBelowTheFirstBucketSizeLandInBucketZero() {
        ExponentialHistogram h = cpu(0);
        h.add(0.001, 1, 0);
        assertEquals(0.01, h.percentile(0.9), 1e-15, "bucket 0 ends at the first bucket size");
    }

    @Test
    void valuesAboveTheMaximumLandInTheLastBucketWhichAnswersItsStart() {
        ExponentialHistogram h = cpu(0);
        h.add(5000, 1, 0);
        // ceil(ln(1000 × 0.05 / 0.01 + 1) / ln 1.05) + 1 = 176 buckets; the last (175) starts at
        // 0.01 × (1.05^175 − 1) / 0.05 = 1021.109...
        assertEquals(1021.1094089048659, h.percentile(0.5), 1e-9);
    }

    @Test
    void percentileStopsAtTheBucketWhereTheCumulativeWeightReachesIt() {
        ExponentialHistogram h = cpu(0);
        h.add(0.1, 3, 0);
        h.add(1.0, 1, 0);
        // 0.1 core is in bucket 8, ending at 0.01 × (1.05^9 − 1) / 0.05 = 0.110265...
        assertEquals(0.11026564319570314, h.percentile(0.75), 1e-12, "3 of 4 reaches 0.75");
        assertEquals(1.0162813885540918, h.percentile(0.76), 1e-12, "3 of 4 does not reach 0.76");
    }

    @Test
    void weightHalvesPerHalfLifeOfAge() {
        // One half-life old with weight 1 counts 1/2: ties with a fresh sample of weight 1/2...
        ExponentialHistogram tie = cpu(0);
        tie.add(0.1, 1, (long) -DAY);
        tie.add(1.0, 0.5, 0);
        assertEquals(0.11026564319570314, tie.percentile(0.5), 1e-12);
        // ...and loses to one of weight 0.51.
        ExponentialHistogram loses = cpu(0);
        loses.add(0.1, 1, (long) -DAY);
        loses.add(1.0, 0.51, 0);
        assertEquals(1.0162813885540918, loses.percentile(0.5), 1e-12);
        // Two half-lives: weight 4 counts 1.
        ExponentialHistogram quarter = cpu(0);
        quarter.add(0.1, 4, (long) (-2 * DAY));
        quarter.add(1.0, 1.01, 0);
        assertEquals(1.0162813885540918, quarter.percentile(0.5), 1e-12);
    }

    @Test
    void aPercentileReachedExactlyIsReachedWhateverTheFloatingPointRounding() {
        // Hourly sketches add each hour's knots with the shares 0.5, 0.4, 0.05, 0.04, 0.01, so the
        // cumulative weight at the p90 knot is exactly 0.9 of the total in real arithmetic, hour after
        // hour. The answer must be the p90 knot's bucket (0.2 core: bucket 14, ends 0.215786) for any
        // number of hours, not flip to the next knot's bucket when the sums round the other way.
        double[] knots = {0.1, 0.2, 0.3, 0.4, 0.5};
        double[] shares = {0.5, 0.9 - 0.5, 0.95 - 0.9, 0.99 - 0.95, 1.0 - 0.99};
        for (int hours = 1; hours <= 48; hours++) {
            ExponentialHistogram h = cpu(0);
            for (int i = 0; i < hours; i++) {
                for (int k = 0; k < knots.length; k++) {
                    h.add(knots[k], 12 * shares[k], -3600L * (hours - i));
                }
            }
            assertEquals(0.21578563588227356, h.percentile(0.9), 1e-12, hours + " hours");
        }
    }

    @Test
    void theLargestPercentileIsTheEndOfTheLastNonEmptyBucket() {
        // VPA's Percentile never looks past the last non-empty bucket. Summed in insertion order the
        // total is 0.1 + 0.2 + 0.3 = 0.6000000000000001, in bucket order 0.3 + 0.2 + 0.1 = 0.6: p100 must
        // still be the end of 5.0's bucket (66, ends 5.0567), not the start of the last bucket (1021 cores).
        ExponentialHistogram h = cpu(0);
        h.add(5.0, 0.1, 0);
        h.add(1.0, 0.2, 0);
        h.add(0.02, 0.3, 0);
        assertEquals(5.056698073299022, h.percentile(1.0), 1e-12);
    }

    @Test
    void emptyUntilAPositiveWeightIsAdded() {
        ExponentialHistogram h = cpu(0);
        assertTrue(h.isEmpty());
        assertEquals(0, h.percentile(0.9));
        h.add(Double.NaN, 1, 0);
        h.add(1.0, 0, 0);
        h.add(1.0, -1, 0);
        assertTrue(h.isEmpty(), "NaN values and non-positive weights are not samples");
        h.add(1.0, 1, 0);
        assertFalse(h.isEmpty());
    }
}
