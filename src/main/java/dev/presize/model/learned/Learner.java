package dev.presize.model.learned;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.UnaryOperator;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableDataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.MutableFeatureMap;
import org.tribuo.MutableOutputInfo;
import org.tribuo.Trainer;
import org.tribuo.common.sgd.AbstractLinearSGDModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.FeedForwardParameters;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;

/**
 * The Tribuo learners the model can be trained with, with fixed seeds and one thread so that
 * replicas trained on the same history make identical predictions; a learner other than the served
 * one would be {@code model-<id>} in the backtest. CART was dropped: as a probability model of a
 * 0/1 outcome its leaves came out pure (0 or 1) on noise even with a 50-row minimum weight
 * (LearnerTest's case), and XGBoost (tribuo-regression-xgboost) before it: its native trainings
 * failed now and then with "Number of columns does not match number of features in booster" when
 * the backtest trained decisions in parallel, even serialised behind one lock.
 */
public enum Learner {

    /**
     * Logistic regression: Tribuo's linear SGD (AdaGrad) with a log loss ({@link LogisticLoss}), its
     * output read as the log-odds.
     */
    SGD {
        @Override
        Trainer<Regressor> trainer(long seed) {
            return new LinearSGDTrainer(new LogisticLoss(), new AdaGrad(0.1, 1e-6), EPOCHS, seed);
        }

        @Override
        double probability(double output) {
            return LogisticLoss.sigmoid(output);
        }
    };

    private static final int EPOCHS = 10;

    private static final String OUTPUT = "y";
    private static final RegressionFactory FACTORY = new RegressionFactory();
    private static final SimpleDataSourceProvenance PROVENANCE = new SimpleDataSourceProvenance("presize features",
            OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), FACTORY);

    /** A trainer of a probability: its targets are 1 (happened) or 0. */
    abstract Trainer<Regressor> trainer(long seed);

    /** The trained model's output as a probability. */
    abstract double probability(double output);

    /** Strategy-name suffix: {@code model-sgd} and so on. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A trained model: x → the probability of the event. */
    public interface Fitted {
        double predict(double[] x);
    }

    /** Trains on rows {@code x[i]} (features {@code names}) with targets {@code y[i]}, each 1 or 0. */
    public Fitted fit(String[] names, List<double[]> x, double[] y, long seed) {
        return fit(names, x, y, seed, false);
    }

    /**
     * {@link #fit}; {@code reference}: Tribuo's own way end to end, the rows in a {@link MutableDataset}
     * and the predictions through {@link Model#predict} (a test's reference for {@link Rows} and
     * {@link #predictor}).
     */
    Fitted fit(String[] names, List<double[]> x, double[] y, long seed, boolean reference) {
        UnaryOperator<double[]> input = Scaling.of(x)::apply;
        // The names in the order an example keeps them (sorted), so that building each of the
        // training examples does not sort them again.
        Integer[] order = new Integer[names.length];
        for (int f = 0; f < order.length; f++) {
            order[f] = f;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparing(f -> names[f]));
        String[] sorted = new String[names.length];
        for (int f = 0; f < order.length; f++) {
            sorted[f] = names[order[f]];
        }
        // The rows are built on every core, in order: the trainings' fits run one after another
        // (LearnedStrategy.train), so their serial part is what a backtest waits for.
        List<Example<Regressor>> rows = java.util.stream.IntStream.range(0, y.length).parallel().mapToObj(i -> {
            double[] row = input.apply(x.get(i));
            double[] values = new double[row.length];
            for (int f = 0; f < order.length; f++) {
                values[f] = row[order[f]];
                if (Double.isNaN(values[f])) { // what MutableDataset.add refuses (Example.validateExample)
                    throw new IllegalArgumentException("feature " + sorted[f] + " of training row " + i + " is NaN");
                }
            }
            // ArrayExample's constructor copies the names and the values (Tribuo 4.3): one array of
            // names serves every row.
            return (Example<Regressor>) new ArrayExample<>(new Regressor(OUTPUT, y[i]), sorted, values);
        }).toList();
        Dataset<Regressor> data;
        if (reference) {
            MutableDataset<Regressor> mutable = new MutableDataset<>(PROVENANCE, FACTORY);
            mutable.addAll(rows);
            data = mutable;
        } else {
            data = new Rows(sorted, rows);
        }
        Model<Regressor> model = trainer(seed).train(data);
        return predictor(model, names, input, reference);
    }

    /**
     * x → the model's probability, read through the trained model's own parameters
     * ({@code getModelParameters}) on the feature vector Tribuo would build for
     * the example (each feature at its id, the bias last; {@code SGDVector.createFromExample}):
     * the same arithmetic as {@link Model#predict}, without building a named example per
     * prediction, whose name lookups and sorting were a fifth of a backtest (the model reads
     * every candidate of every calibration case). Other models are asked through {@code predict}.
     */
    private Fitted predictor(Model<Regressor> model, String[] names, UnaryOperator<double[]> input,
                             boolean throughExamples) {
        int size = model.getFeatureIDMap().size();
        if (throughExamples || !(model instanceof AbstractLinearSGDModel<Regressor> linear)
                || model.getOutputIDInfo().size() != 1) {
            return row -> probability(model.predict(example(names, input.apply(row), 0)).getOutput().getValues()[0]);
        }
        FeedForwardParameters parameters = linear.getModelParameters();
        // The weights have a column for the bias when the trainer added one (LinearSGDTrainer does by default).
        boolean bias = linear.getWeightsCopy().getDimension2Size() == size + 1;
        int[] ids = new int[names.length];
        for (int f = 0; f < names.length; f++) {
            ids[f] = model.getFeatureIDMap().getID(names[f]);
        }
        return row -> {
            double[] scaled = input.apply(row);
            double[] values = new double[size + (bias ? 1 : 0)];
            for (int f = 0; f < ids.length; f++) {
                if (ids[f] >= 0) { // -1: a feature no training row had
                    values[ids[f]] = scaled[f];
                }
            }
            if (bias) {
                values[size] = 1.0;
            }
            return probability(parameters.predict(DenseVector.createDenseVector(values)).get(0));
        };
    }

    /**
     * The training rows as a dataset, without what {@link MutableDataset#add} does per row: check
     * the row's names (ours are one sorted array of distinct names for every row; NaN values are
     * refused above), canonicalise them and gather each feature's and the output's statistics,
     * which the SGD trainer does not read. It reads the feature ids and the output's dimension,
     * and these are what a MutableDataset of the same rows gives: ids in the names' sorted order
     * ({@code ImmutableFeatureMap}), one dimension {@link #OUTPUT}. That per-row work was a twelfth
     * of a backtest; the predictions are the same to the last bit (LearnerTest).
     */
    private static final class Rows extends ImmutableDataset<Regressor> {

        Rows(String[] names, List<Example<Regressor>> rows) {
            super(PROVENANCE, FACTORY, "", featureIds(names), outputIds(), rows, false);
        }

        private static ImmutableFeatureMap featureIds(String[] names) {
            MutableFeatureMap features = new MutableFeatureMap();
            for (String name : names) {
                features.add(name, 1);
            }
            if (names.length == 0 || features.size() != names.length) { // as validateExample refuses them
                throw new IllegalArgumentException("training rows need distinct feature names, got "
                        + java.util.Arrays.toString(names));
            }
            return new ImmutableFeatureMap(features);
        }

        private static ImmutableOutputInfo<Regressor> outputIds() {
            MutableOutputInfo<Regressor> outputs = FACTORY.generateInfo();
            outputs.observe(new Regressor(OUTPUT, 0));
            return outputs.generateImmutableOutputInfo();
        }
    }

    /**
     * Each feature centred and scaled to unit deviation over the training rows: SGD's steps are the
     * same size for every weight, and the features' ranges differ a hundredfold (a log-odds down to
     * −14 beside ratios within ±1), so unscaled it would not converge in a few epochs.
     */
    private record Scaling(double[] mean, double[] deviation) {

        static Scaling of(List<double[]> rows) {
            int features = rows.get(0).length;
            double[] mean = new double[features];
            double[] deviation = new double[features];
            for (double[] r : rows) {
                for (int f = 0; f < features; f++) {
                    mean[f] += r[f] / rows.size();
                }
            }
            for (double[] r : rows) {
                for (int f = 0; f < features; f++) {
                    deviation[f] += (r[f] - mean[f]) * (r[f] - mean[f]) / rows.size();
                }
            }
            for (int f = 0; f < features; f++) {
                deviation[f] = deviation[f] > 0 ? Math.sqrt(deviation[f]) : 1;
            }
            return new Scaling(mean, deviation);
        }

        double[] apply(double[] x) {
            double[] out = new double[x.length];
            for (int f = 0; f < x.length; f++) {
                out[f] = (x[f] - mean[f]) / deviation[f];
            }
            return out;
        }
    }

    private static Example<Regressor> example(String[] names, double[] x, double y) {
        // Copies: ArrayExample may reorder the arrays it is given, and the names are shared.
        return new ArrayExample<>(new Regressor(OUTPUT, y), names.clone(), x.clone());
    }
}
