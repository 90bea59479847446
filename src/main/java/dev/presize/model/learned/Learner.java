package dev.presize.model.learned;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * The Tribuo regressors the model can be trained with, all with fixed seeds and one thread so that
 * replicas trained on the same history make identical predictions. The backtest compares them
 * ({@code model} = SGD, {@code model-cart}). XGBoost (tribuo-regression-xgboost) was dropped: its
 * native trainings failed now and then with "Number of columns does not match number of features in
 * booster" when the backtest trained decisions in parallel, even serialised behind one lock.
 */
public enum Learner {

    /**
     * One regression tree; features are binned first because Tribuo's CART is quadratic on continuous
     * ones. Leaves hold at least {@link #MIN_LEAF} rows: the targets are shares of a day above a
     * candidate, and a leaf of a handful of rows would read one container's bad day as a rule.
     */
    CART {
        @Override
        Trainer<Regressor> trainer(long seed) {
            return new CARTRegressionTrainer(8, MIN_LEAF, 0f, 1f, new MeanSquaredError(), seed);
        }

        @Override
        boolean binned() {
            return true;
        }
    },
    /** Linear regression by SGD (AdaGrad) on the same log-ratio features. */
    SGD {
        @Override
        Trainer<Regressor> trainer(long seed) {
            return new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.05, 1e-6), 20, seed);
        }
    };

    private static final float MIN_LEAF = 50f;
    private static final String OUTPUT = "y";
    private static final int BINS = 100;
    private static final RegressionFactory FACTORY = new RegressionFactory();

    abstract Trainer<Regressor> trainer(long seed);

    boolean binned() {
        return false;
    }

    /** Strategy-name suffix: {@code model-cart} and so on. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A trained regressor: x → ŷ. */
    public interface Fitted {
        double predict(double[] x);
    }

    /** Trains on rows {@code x[i]} (features {@code names}) with targets {@code y[i]}. */
    public Fitted fit(String[] names, List<double[]> x, double[] y, long seed) {
        Binning binning = binned() ? Binning.of(x, BINS) : null;
        MutableDataset<Regressor> data = new MutableDataset<>(
                new SimpleDataSourceProvenance("presize features", OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0,
                        ZoneOffset.UTC), FACTORY), FACTORY);
        for (int i = 0; i < y.length; i++) {
            data.add(example(names, binning == null ? x.get(i) : binning.apply(x.get(i)), y[i]));
        }
        Model<Regressor> model = trainer(seed).train(data);
        return row -> {
            Prediction<Regressor> p = model.predict(example(names, binning == null ? row : binning.apply(row), 0));
            return p.getOutput().getValues()[0];
        };
    }

    private static Example<Regressor> example(String[] names, double[] x, double y) {
        // Copies: ArrayExample may reorder the arrays it is given, and the names are shared.
        return new ArrayExample<>(new Regressor(OUTPUT, y), names.clone(), x.clone());
    }

    /** Per-feature quantile bin edges; a value becomes the index of its bin. */
    private record Binning(double[][] edges) {

        static Binning of(List<double[]> rows, int bins) {
            int features = rows.get(0).length;
            double[][] edges = new double[features][];
            double[] column = new double[rows.size()];
            for (int f = 0; f < features; f++) {
                for (int i = 0; i < rows.size(); i++) {
                    column[i] = rows.get(i)[f];
                }
                java.util.Arrays.sort(column);
                double[] e = new double[bins - 1];
                for (int b = 1; b < bins; b++) {
                    e[b - 1] = column[(int) ((long) b * (column.length - 1) / bins)];
                }
                edges[f] = e;
            }
            return new Binning(edges);
        }

        double[] apply(double[] x) {
            double[] out = new double[x.length];
            for (int f = 0; f < x.length; f++) {
                int i = java.util.Arrays.binarySearch(edges[f], x[f]);
                out[f] = i >= 0 ? i : -i - 1;
            }
            return out;
        }
    }
}
