package dev.presize.bench;

import static dev.presize.bench.HourlyDays.DAYS;
import static dev.presize.bench.HourlyDays.daily;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Peer groups on a cluster of two pairs whose memory days move within each pair. */
class PeerGroupsTest {

    /** At 100, and 150 on the given days: a rule of the last 3 days' highest × 1 is exceeded on a high day after three low ones. */
    private static double[] highOn(int... days) {
        double[] levels = new double[DAYS];
        java.util.Arrays.fill(levels, 100);
        for (int d : days) {
            levels[d] = 150;
        }
        return levels;
    }

    @Test
    void groupsFollowTheDaysContainersShareAndPeersAreTheOthersYesterday() {
        int[] first = {9, 13, 21, 25};
        int[] second = {11, 17, 23, 28};
        MemoryBound.Costs costs = new MemoryBound.Costs(List.of(
                daily(highOn(first)), daily(highOn(second)), daily(highOn(first)), daily(highOn(second))), false);
        int rule = PeerGroups.WINDOW * MemoryBound.FACTORS + MemoryBound.GRID.nearest(1.0);
        int[] span = PeerGroups.span(costs);
        assertEquals(MemoryBound.FIRST_DAY, span[0]);
        assertEquals(DAYS - 1, span[1]);

        int[] groups = PeerGroups.byPattern(costs, rule, span[0], DAYS, 2, 1);
        assertEquals(groups[0], groups[2]);
        assertEquals(groups[1], groups[3]);
        assertNotEquals(groups[0], groups[1]);

        double[][] share = PeerGroups.shareYesterday(costs, rule, groups);
        double[][] cluster = PeerGroups.shareYesterday(costs, rule, new int[4]);
        int checked = 0;
        for (int d = span[0] + 1; d < DAYS; d++) {
            // Container 0's only group-mate is container 2, its twin: the share is 2's yesterday.
            assertEquals(costs.exceeded(rule, 2, d - 1) ? 1.0 : 0.0, share[0][d], 1e-12, "day " + d);
            double others = 0;
            for (int c = 1; c < 4; c++) {
                others += costs.exceeded(rule, c, d - 1) ? 1 : 0;
            }
            assertEquals(others / 3, cluster[0][d], 1e-12, "day " + d);
            checked += costs.exceeded(rule, 2, d - 1) ? 1 : 0;
        }
        assertEquals(first.length, checked, "each of the first pair's high days is exceeded");
        assertTrue(Double.isNaN(PeerGroups.shareYesterday(costs, rule, new int[] {0, 1, 2, 3})[0][span[0]]),
                "no group-mate, no share");

        double[] cuts = {0.1, 0.3, 0.5, 0.7};
        assertEquals(0, PeerGroups.key(0.1, cuts));
        assertEquals(2, PeerGroups.key(0.4, cuts));
        assertEquals(4, PeerGroups.key(0.9, cuts));
        assertEquals(PeerGroups.QUINTILES, PeerGroups.key(Double.NaN, cuts));
    }
}
