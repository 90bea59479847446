package dev.presize.model.learned;

/** Isotonic regression by pool-adjacent-violators, equal weights. */
final class Isotonic {

    private Isotonic() {
    }

    /** Replaces {@code y} in place by the non-increasing sequence closest to it in squared error. */
    static void nonIncreasing(double[] y) {
        int n = y.length;
        double[] mean = new double[n];
        int[] size = new int[n];
        int blocks = 0;
        for (double v : y) {
            mean[blocks] = v;
            size[blocks] = 1;
            blocks++;
            // A block higher than the one before it violates the order: pool them.
            while (blocks > 1 && mean[blocks - 1] > mean[blocks - 2]) {
                int k = size[blocks - 2] + size[blocks - 1];
                mean[blocks - 2] = (mean[blocks - 2] * size[blocks - 2] + mean[blocks - 1] * size[blocks - 1]) / k;
                size[blocks - 2] = k;
                blocks--;
            }
        }
        int i = 0;
        for (int b = 0; b < blocks; b++) {
            for (int k = 0; k < size[b]; k++) {
                y[i++] = mean[b];
            }
        }
    }
}
