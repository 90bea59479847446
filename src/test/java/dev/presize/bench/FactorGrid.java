package dev.presize.bench;

/**
 * The factors a bound scales its rules by: {@code count} steps of one ratio from {@code low} to
 * {@code high}, so that a step costs the same share of slack anywhere on the grid.
 */
record FactorGrid(double low, double high, int count) {

    double factor(int j) {
        return low * Math.pow(high / low, j / (count - 1.0));
    }

    /** The index of the smallest factor at or above x (a hair of rounding allowed). */
    int indexAtLeast(double x) {
        for (int j = 0; j < count; j++) {
            if (factor(j) >= x - 1e-12) {
                return j;
            }
        }
        throw new IllegalArgumentException("no factor at or above " + x + " on " + this);
    }

    /** The smallest factor at or above x. */
    double atLeast(double x) {
        return factor(indexAtLeast(x));
    }

    /** The index of the factor nearest to x. */
    int nearest(double x) {
        int best = 0;
        for (int j = 1; j < count; j++) {
            if (Math.abs(factor(j) - x) < Math.abs(factor(best) - x)) {
                best = j;
            }
        }
        return best;
    }
}
