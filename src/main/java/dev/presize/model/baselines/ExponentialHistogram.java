package dev.presize.model.baselines;

/**
 * The VPA recommender's decaying exponential histogram (kubernetes/autoscaler,
 * vertical-pod-autoscaler/pkg/recommender/util: histogram.go, histogram_options.go,
 * decaying_histogram.go). Bucket {@code i} starts at {@code first × (ratio^i − 1) / (ratio − 1)}; a
 * sample's weight is multiplied by {@code 2^((t − reference) / halfLife)}, so recent samples count
 * more; a percentile answers the <em>end</em> of the bucket where the cumulative weight reaches it,
 * as VPA's {@code Percentile} does.
 */
final class ExponentialHistogram {

    // A percentile is "reached" when the cumulative weight is within this share of the total below the
    // threshold. Hourly sketches add their knots with shares (0.5, 0.4, 0.05, ...) that put the
    // cumulative weight at exactly 0.5, 0.9 and 0.95 of the total in real arithmetic: without slack,
    // float rounding alone decided whether VPA's p90 was the p90 knot's bucket or the next one, and it
    // flipped with the number of hours. It also keeps p100 from running past the last non-empty bucket
    // when the total and the bucket-order sum round differently (VPA's loop stops at its maxBucket).
    private static final double REACHED_TOLERANCE = 1e-9;

    private final double firstBucketSize;
    private final double ratio;
    private final double halfLifeSeconds;
    private final long referenceTime;
    private final double[] weights;
    private double total;

    ExponentialHistogram(double maxValue, double firstBucketSize, double ratio, double halfLifeSeconds,
                         long referenceTime) {
        this.firstBucketSize = firstBucketSize;
        this.ratio = ratio;
        this.halfLifeSeconds = halfLifeSeconds;
        this.referenceTime = referenceTime;
        int buckets = (int) Math.ceil(Math.log(maxValue * (ratio - 1) / firstBucketSize + 1) / Math.log(ratio)) + 1;
        this.weights = new double[buckets];
    }

    void add(double value, double weight, long time) {
        if (Double.isNaN(value) || weight <= 0) {
            return;
        }
        double decayed = weight * Math.pow(2, (time - referenceTime) / halfLifeSeconds);
        weights[bucket(value)] += decayed;
        total += decayed;
    }

    boolean isEmpty() {
        return total <= 0;
    }

    double percentile(double p) {
        if (isEmpty()) {
            return 0;
        }
        double threshold = p * total - REACHED_TOLERANCE * total;
        double partial = 0;
        int b = 0;
        for (; b < weights.length - 1; b++) {
            partial += weights[b];
            if (partial >= threshold) {
                break;
            }
        }
        return b < weights.length - 1 ? bucketStart(b + 1) : bucketStart(b);
    }

    private int bucket(double value) {
        if (value < firstBucketSize) {
            return 0;
        }
        int b = (int) Math.floor(Math.log(value * (ratio - 1) / firstBucketSize + 1) / Math.log(ratio));
        return Math.min(Math.max(b, 0), weights.length - 1);
    }

    private double bucketStart(int b) {
        return firstBucketSize * (Math.pow(ratio, b) - 1) / (ratio - 1);
    }
}
