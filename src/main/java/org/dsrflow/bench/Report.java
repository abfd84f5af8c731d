package org.dsrflow.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The results of one benchmark command, printed as a Markdown table that BENCHMARKS.md takes as it is. */
final class Report {
    /** One measured line; {@code goal} and {@code met} are empty where the issue sets no goal. */
    record Line(String scenario, String measure, int runs, String median, String p95, String limit, String ratio, String goal, String met) {
    }

    private final List<Line> lines = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(Line line) {
        lines.add(line);
    }

    /** A time against the limit's time: the ratio is of the medians. */
    void against(String scenario, String measure, Stats ours, Stats limit, double goal) {
        double ratio = ours.median() / limit.median();
        lines.add(new Line(scenario, measure, ours.count(), Stats.seconds(ours.median()), Stats.seconds(ours.p95()),
                Stats.seconds(limit.median()) + " (p95 " + Stats.seconds(limit.p95()) + ")", Stats.ratio(ratio),
                goal > 0 ? "≤ " + Stats.ratio(goal) : "", goal > 0 ? (ratio <= goal ? "yes" : "**no**") : ""));
    }

    void timing(String scenario, String measure, Stats s, String goal, Boolean met) {
        lines.add(new Line(scenario, measure, s.count(), Stats.seconds(s.median()), Stats.seconds(s.p95()), "", "", goal,
                met == null ? "" : met ? "yes" : "**no**"));
    }

    void note(String text) {
        notes.add(text);
    }

    void print(PrintStream out) {
        out.println();
        out.println("| scenario | measure | runs | median | p95 | limit (plain SQL) | ratio | goal | met |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (Line l : lines) {
            out.println("| " + String.join(" | ", l.scenario(), l.measure(), Integer.toString(l.runs()), l.median(), l.p95(), l.limit(),
                    l.ratio(), l.goal(), l.met()) + " |");
        }
        notes.forEach(n -> out.println("\n- " + n));
    }
}
