package org.dsrflow.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.dsrflow.Commands;
import org.dsrflow.Printable;

/**
 * The {@code benchmark} command: {@code benchmark <scenario>... [--option=value]}, scenarios
 * {@code erase}, {@code export}, {@code throughput}, {@code intake}, {@code startup} (BENCHMARKS.md).
 * Prints what each run took and, at the end, a Markdown table of medians, 95th percentiles, the
 * limit measured alongside and the goals. Exit 0 when every scenario ran (a missed goal is in the
 * table, not the exit code), 2 for bad options or a scenario that could not run.
 */
public final class Benchmarks {
    static final Set<String> SCENARIOS = Set.of("erase", "export", "throughput", "intake", "startup");
    private static final Map<String, String> DEFAULTS = Map.ofEntries(Map.entry("runs", ""), Map.entry("rows", "1000000"),
            Map.entry("subject", ""), Map.entry("requests", ""), Map.entry("concurrency", "8"), Map.entry("channels", "web,ticket,mail"),
            Map.entry("timeout", "PT10M"), Map.entry("connectors", "connectors"), Map.entry("warm", "yes"), Map.entry("warmup", "0"),
            Map.entry("warmup-max", ""), Map.entry("settled", "3"), Map.entry("rate", "0"),
            Map.entry("prewarm", "no"));

    private Benchmarks() {
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        List<String> scenarios = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>(DEFAULTS);
        for (String a : Arrays.asList(args).subList(1, args.length)) {
            int eq = a.indexOf('=');
            String name = a.startsWith("--") && eq > 2 ? a.substring(2, eq) : null;
            if (name != null && options.containsKey(name)) {
                options.put(name, a.substring(eq + 1));
            } else if (SCENARIOS.contains(a)) {
                scenarios.add(a);
            } else {
                err.println("benchmark: unknown scenario or option '" + Printable.clip(a, 60) + "'; scenarios: " + String.join(", ", sorted())
                        + "; options: --" + String.join("=, --", options.keySet()) + "=");
                return 2;
            }
        }
        if (scenarios.isEmpty()) {
            err.println("benchmark: name one or more scenarios: " + String.join(", ", sorted()));
            return 2;
        }
        BenchTarget target = BenchTarget.from(env);
        Report report = new Report();
        for (String scenario : scenarios) {
            try {
                runOne(scenario, options, target, report, out);
            } catch (Exception e) {
                report.print(out);
                err.println("benchmark " + scenario + ": could not run: " + Commands.rootMessage(e));
                return 2;
            }
        }
        report.print(out);
        return 0;
    }

    private static void runOne(String scenario, Map<String, String> o, BenchTarget target, Report report, PrintStream out) throws Exception {
        Path connectorFile = Path.of(o.get("connectors"), "logs.yaml");
        Duration timeout = Duration.parse(o.get("timeout"));
        int concurrency = positive(o, "concurrency", 8);
        switch (scenario) {
            case "erase" -> {
                try (HeavySubjectBench bench = new HeavySubjectBench(target, connectorFile, out)) {
                    bench.erase(positive(o, "runs", 3), positive(o, "rows", 1_000_000), report);
                }
            }
            case "export" -> {
                try (HeavySubjectBench bench = new HeavySubjectBench(target, connectorFile, out)) {
                    bench.export(positive(o, "runs", 5), o.get("subject").isBlank() ? null : o.get("subject"), report);
                }
            }
            case "throughput" -> {
                int warmup = nonNegative(o, "warmup");
                int warmupMax = o.get("warmup-max").isBlank() ? 2 * warmup : nonNegative(o, "warmup-max");
                if (warmupMax < warmup) {
                    throw new IllegalArgumentException("--warmup-max must not be less than --warmup");
                }
                String prewarm = o.get("prewarm");
                if (!prewarm.equals("yes") && !prewarm.equals("no")) {
                    throw new IllegalArgumentException("--prewarm is yes or no");
                }
                // every option checked before the prewarm, which takes a while on data at scale
                int requests = positive(o, "requests", 500);
                int settled = nonNegative(o, "settled");
                int rate = nonNegative(o, "rate");
                PipelineBench bench = new PipelineBench(target, out);
                if (prewarm.equals("yes")) {
                    bench.prewarm(List.of("billing", "logs", "crm"));
                }
                bench.throughput(requests, new PipelineBench.WarmUp(warmup, warmupMax, settled), concurrency, rate, timeout, report);
            }
            case "intake" -> new PipelineBench(target, out).intake(List.of(o.get("channels").split(",")), positive(o, "requests", 200), concurrency,
                    timeout, report);
            case "startup" -> new StartupBench(out, target.classpath(), target.javaOptions()).run(positive(o, "runs", 3), !"no".equals(o.get("warm")), report);
            default -> throw new IllegalArgumentException(scenario);
        }
    }

    private static int nonNegative(Map<String, String> options, String name) {
        int n = Integer.parseInt(options.get(name));
        if (n < 0) {
            throw new IllegalArgumentException("--" + name + " must not be negative");
        }
        return n;
    }

    private static int positive(Map<String, String> options, String name, int fallback) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        int n = Integer.parseInt(value);
        if (n < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1");
        }
        return n;
    }

    private static List<String> sorted() {
        return SCENARIOS.stream().sorted().toList();
    }
}
