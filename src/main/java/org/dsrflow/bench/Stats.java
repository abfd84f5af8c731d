package org.dsrflow.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Timings of repeated runs, in seconds: median and 95th percentile (nearest rank). */
final class Stats {
    private final List<Double> sorted;

    Stats(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no measurements");
        }
        this.sorted = new ArrayList<>(values);
        Collections.sort(sorted);
    }

    int count() {
        return sorted.size();
    }

    double median() {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    double p95() {
        return sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1);
    }

    static String seconds(double s) {
        return s >= 10 ? String.format(Locale.ROOT, "%.1f s", s)
                : s >= 0.1 ? String.format(Locale.ROOT, "%.2f s", s) : String.format(Locale.ROOT, "%.1f ms", s * 1000);
    }

    static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f×", r);
    }

    static double since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
