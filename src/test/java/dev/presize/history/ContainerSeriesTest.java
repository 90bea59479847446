package dev.presize.history;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContainerSeriesTest {

    private static ContainerSeries series(long... t) {
        double[] v = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            v[i] = i;
        }
        return new ContainerSeries("n", "w", "c", t, v, v.clone(), 1, 2);
    }

    @Test
    void betweenIsHalfOpen() {
        ContainerSeries s = series(10, 20, 30, 40);
        assertArrayEquals(new long[] {20, 30}, s.between(20, 40).timestamps());
        assertArrayEquals(new double[] {1, 2}, s.between(15, 35).cpuCores());
        assertEquals(0, s.between(41, 100).size());
        assertEquals(0, s.between(30, 10).size());
    }

    @Test
    void shiftMovesOnlyTime() {
        ContainerSeries s = series(10, 20).shifted(100);
        assertArrayEquals(new long[] {110, 120}, s.timestamps());
        assertArrayEquals(new double[] {0, 1}, s.cpuCores());
    }

    @Test
    void equalityIsByContent() {
        assertEquals(series(1, 2), series(1, 2));
        assertEquals(series(1, 2).hashCode(), series(1, 2).hashCode());
        assertNotEquals(series(1, 2), series(1, 3));
        assertThrows(IllegalArgumentException.class,
                () -> new ContainerSeries("n", "w", "c", new long[2], new double[1], new double[2], 0, 0));
    }
}
