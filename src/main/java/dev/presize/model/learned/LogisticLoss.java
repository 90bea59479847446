package dev.presize.model.learned;

import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.SGDVector;
import org.tribuo.regression.sgd.RegressionObjective;

/**
 * Log loss for a regression output read as a log-odds: the target is 1 when the event happened and
 * 0 when not, the linear model's output f is the logit, and the loss is log(1 + e^f) − y·f. With it
 * Tribuo's linear SGD trainer fits a logistic regression of a probability — here the chance that a
 * day's peak exceeds a candidate request — which tribuo-regression has no objective for (squared
 * loss on a 0/1 target gives a linear probability that leaves [0, 1] in the tails, and the tails are
 * where the targets live). Like Tribuo's own objectives ({@code SquaredLoss}) it returns the
 * negative gradient, truth − the predicted probability.
 */
final class LogisticLoss implements RegressionObjective {

    @Override
    public Pair<Double, SGDVector> loss(DenseVector truth, SGDVector prediction) {
        DenseVector gradient = new DenseVector(truth.size());
        double loss = 0;
        for (int i = 0; i < truth.size(); i++) {
            double f = prediction.get(i);
            double y = truth.get(i);
            // log(1 + e^f) without overflow for large |f|
            loss += (f > 0 ? f + Math.log1p(Math.exp(-f)) : Math.log1p(Math.exp(f))) - y * f;
            gradient.set(i, y - sigmoid(f));
        }
        return new Pair<>(loss, gradient);
    }

    static double sigmoid(double f) {
        return f >= 0 ? 1 / (1 + Math.exp(-f)) : Math.exp(f) / (1 + Math.exp(f));
    }

    @Override
    public String toString() {
        return "LogisticLoss";
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "RegressionObjective");
    }
}
