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
        double threshold = p * total;
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
