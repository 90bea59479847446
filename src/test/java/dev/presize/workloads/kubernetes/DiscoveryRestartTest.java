package dev.presize.workloads.kubernetes;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a new discovery result makes {@link WorkloadInformers} list a kind again. */
class DiscoveryRestartTest {

    private static final ApiDiscovery.Choice V1_FOUND = new ApiDiscovery.Choice("v1", true);
    private static final ApiDiscovery.Choice V1_GUESSED = new ApiDiscovery.Choice("v1", false);
    private static final ApiDiscovery.Choice V1BETA1_FOUND = new ApiDiscovery.Choice("v1beta1", true);

    @Test
    void theFirstChoiceStartsTheInformer() {
        assertTrue(WorkloadInformers.restart(null, V1_GUESSED, false));
    }

    @Test
    void anotherVersionFoundMovesEvenASyncedKind() {
        assertTrue(WorkloadInformers.restart(V1BETA1_FOUND, V1_FOUND, true), "a cluster upgraded to batch/v1 CronJobs");
    }

    @Test
    void aGuessNeverReplacesASyncedKind() {
        assertFalse(WorkloadInformers.restart(V1BETA1_FOUND, V1_GUESSED, true));
        assertFalse(WorkloadInformers.restart(V1_GUESSED, V1_FOUND, true), "found where it already is: nothing to do");
    }

    @Test
    void aKindFoundWhereItWasOnlyGuessedAndFailingStartsAfreshWithoutWaitingForItsBackoff() {
        assertTrue(WorkloadInformers.restart(V1_GUESSED, V1_FOUND, false));
        assertFalse(WorkloadInformers.restart(V1_GUESSED, V1_GUESSED, false), "still not there: the informer keeps retrying");
        assertFalse(WorkloadInformers.restart(V1_FOUND, V1_FOUND, false));
    }
}
