package org.dsrflow.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongFunction;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Fills the demo systems' databases (billing, logs, crm) at scale for the benchmarks, with COPY.
 * Accounts are {@code bench<account id>@bench.example.org}; the first {@code heavy} of them are the
 * heavy subjects, {@code heavy<account id>@bench.example.org} (printed at the end), with
 * {@code heavyRows} access-log rows each. The other
 * log rows fall on accounts with a skewed distribution (a few accounts have many rows, most have
 * few). Ids continue after the largest already in each table, so the demo's own rows stay, and a
 * second run adds to the first. The same seed gives the same data.
 */
public final class DataGenerator {
    /** What to generate. */
    public record Plan(long accounts, long logRows, int heavy, long heavyRows, long seed) {
        public Plan {
            if (accounts < 1 || logRows < 0 || heavy < 0 || heavy > accounts || heavyRows < 0) {
                throw new IllegalArgumentException("need accounts >= 1, 0 <= heavy <= accounts, and no negative row counts");
            }
        }
    }

    /** Where: a JDBC URL per database, with one user and password. */
    public record Target(String billingUrl, String logsUrl, String crmUrl, String user, String password) {
    }

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final String[] REGIONS = {"CN", "CN", "CN", "EU", "US"};
    private static final int CHUNK = 1 << 20;

    private final Plan plan;
    private final Target target;
    private final PrintStream out;

    public DataGenerator(Plan plan, Target target, PrintStream out) {
        this.plan = plan;
        this.target = target;
        this.out = out;
    }

    /** The first account id of this run: addresses are numbered by account id, so a second run adds new people. */
    private long accountBase;

    /** The address of the n-th account of this run (0-based): the heavy subjects first. */
    String email(long n) {
        return (n < plan.heavy() ? "heavy" : "bench") + (accountBase + n) + "@bench.example.org";
    }

    /** The heavy subjects this run added (after {@link #run()}). */
    public java.util.List<String> heavySubjects() {
        return java.util.stream.LongStream.range(0, plan.heavy()).mapToObj(this::email).toList();
    }

    public void run() throws SQLException {
        Instant began = Instant.now();
        try (Connection c = connect(target.billingUrl())) {
            accountBase = next(c, "accounts", "account_id");
            long orderBase = next(c, "orders", "order_id");
            long invoiceBase = next(c, "invoices", "invoice_id");
            long orders = plan.accounts() / 2;
            copy(c, "accounts (account_id, email, real_name, phone, id_card_number, company_name, address, created_at, status, region)",
                    plan.accounts(), n -> csv(accountBase + n, email(n), "Bench Person " + n, phone(n), null,
                            n % 3 == 0 ? "Bench Company " + n % 1000 : null, n + " Bench Road", at(n), "ACTIVE", REGIONS[(int) (n % REGIONS.length)]));
            copy(c, "orders (order_id, account_id, product, amount, currency, ordered_at, contact_name, contact_phone)", orders,
                    n -> csv(orderBase + n, accountBase + n * 2 % plan.accounts(), "ECS instance", amount(n), "CNY", at(n), null, null));
            copy(c, "invoices (invoice_id, account_id, order_id, invoice_number, buyer_name, buyer_tax_id, buyer_address, buyer_phone, "
                    + "amount, tax_amount, issued_at)", orders, n -> csv(invoiceBase + n, accountBase + n * 2 % plan.accounts(), orderBase + n,
                    "INV-B" + (invoiceBase + n), "Bench Person " + n * 2 % plan.accounts(), null, null, null, amount(n), "0.00", at(n)));
        }
        try (Connection c = connect(target.logsUrl())) {
            long accessBase = next(c, "access_logs", "log_id");
            long operationBase = next(c, "operation_logs", "log_id");
            long heavyTotal = plan.heavy() * plan.heavyRows();
            copy(c, "access_logs (log_id, account_id, user_email, path, http_status, ip_address, user_agent, accessed_at)", heavyTotal,
                    n -> csv(accessBase + n, accountBase + n / plan.heavyRows(), email(n / plan.heavyRows()), "/api/v1/instances",
                            200, ip(n), "bench-agent/1.0", at(n)));
            SplittableRandom random = new SplittableRandom(plan.seed());
            long spread = plan.logRows();
            // skewed: the n-th account is picked with a weight falling off steeply with n
            java.util.function.LongSupplier owner = () -> {
                double u = random.nextDouble();
                return Math.min(plan.accounts() - 1, plan.heavy() + (long) Math.floor((plan.accounts() - plan.heavy()) * u * u * u));
            };
            long half = spread / 2;
            copy(c, "access_logs (log_id, account_id, user_email, path, http_status, ip_address, user_agent, accessed_at)", half, n -> {
                long a = owner.getAsLong();
                return csv(accessBase + heavyTotal + n, accountBase + a, email(a), "/console/overview", 200, ip(n), "Mozilla/5.0", at(n));
            });
            copy(c, "operation_logs (log_id, account_id, user_email, action, resource, ip_address, user_agent, occurred_at)", spread - half,
                    n -> {
                        long a = owner.getAsLong();
                        return csv(operationBase + n, accountBase + a, email(a), "console:Login", "console", ip(n), "Mozilla/5.0", at(n));
                    });
        }
        try (Connection c = connect(target.crmUrl())) {
            long contactBase = next(c, "contacts", "contact_id");
            long ticketBase = next(c, "support_tickets", "ticket_id");
            long contacts = Math.max(1, plan.accounts() / 4);
            copy(c, "contacts (contact_id, email, full_name, phone, company, preferred_language, marketing_opt_in, created_at)", contacts,
                    n -> csv(contactBase + n, email(n), "Bench Person " + n, phone(n), null, n % 2 == 0 ? "zh" : "en", n % 5 == 0, at(n)));
            copy(c, "support_tickets (ticket_id, contact_id, subject, body, status, created_at)", contacts,
                    n -> csv(ticketBase + n, contactBase + n, "Invoice question", "Please check the invoice of last month.", "CLOSED", at(n)));
        }
        // settled once everything is loaded: a vacuum right after a load finds more transactions still
        // running beside it (the demo's own, on these databases) than one a few minutes later
        settle(target.billingUrl(), "accounts", "orders", "invoices");
        settle(target.logsUrl(), "access_logs", "operation_logs");
        settle(target.crmUrl(), "contacts", "support_tickets");
        out.printf(Locale.ROOT, "generate-data: %d accounts (%d heavy with %d log rows each), %d more log rows, in %.1f s%n",
                plan.accounts(), plan.heavy(), plan.heavyRows(), plan.logRows(), Duration.between(began, Instant.now()).toMillis() / 1000.0);
        for (int k = 0; k < plan.heavy(); k++) {
            out.println("heavy subject: " + email(k));
        }
    }

    private Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, target.user(), target.password());
    }

    private static long next(Connection c, String table, String id) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("select coalesce(max(" + id + "), 0) + 1 from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void copy(Connection c, String tableAndColumns, long rows, LongFunction<String> row) throws SQLException {
        if (rows == 0) {
            return;
        }
        Instant began = Instant.now();
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + tableAndColumns + " FROM STDIN WITH (FORMAT csv)");
        try {
            StringBuilder chunk = new StringBuilder(CHUNK + 4096);
            for (long n = 0; n < rows; n++) {
                chunk.append(row.apply(n)).append('\n');
                if (chunk.length() >= CHUNK) {
                    byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                    in.writeToCopy(bytes, 0, bytes.length);
                    chunk.setLength(0);
                }
            }
            byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(bytes, 0, bytes.length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
        String table = tableAndColumns.substring(0, tableAndColumns.indexOf(' '));
        out.printf(Locale.ROOT, "  %-16s %,12d rows in %6.1f s%n", table, rows, Duration.between(began, Instant.now()).toMillis() / 1000.0);
    }

    /**
     * Leaves the loaded tables as a long-running system's are: frozen, their visibility maps set and
     * their statistics fresh. Rows fresh from COPY carry no hint bits and no page is marked
     * all-visible, so without this the first reads of each page write it again, and PostgreSQL's
     * autovacuum (started by the inserts) reads and rewrites gigabytes in the background after the
     * generator ends — into whatever benchmark runs next. A page whose rows a transaction running
     * beside the vacuum may not see yet (one the demo itself had open on the database) cannot be
     * marked all-visible: the vacuum is repeated, up to {@link #SETTLE_TRIES} times a second apart,
     * while a table has such pages, and what is left is printed. A manual VACUUM runs at full speed
     * (no cost delay), and outside a transaction (the connection's auto-commit is on).
     */
    private void settle(String url, String... tables) throws SQLException {
        Instant began = Instant.now();
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            java.util.List<String> left = java.util.List.of(tables);
            for (int attempt = 1; ; attempt++) {
                for (String t : left) {
                    s.execute(attempt == 1 ? "vacuum (freeze, analyze) " + t : "vacuum (freeze) " + t);
                }
                java.util.List<String> notVisible = new java.util.ArrayList<>();
                for (String t : left) {
                    try (var rs = s.executeQuery("select relpages, relallvisible from pg_class where oid = '" + t + "'::regclass")) {
                        rs.next();
                        if (rs.getLong(2) < rs.getLong(1)) {
                            notVisible.add(String.format(Locale.ROOT, "%s %d of %d pages", t, rs.getLong(2), rs.getLong(1)));
                        }
                    }
                }
                if (notVisible.isEmpty()) {
                    out.printf(Locale.ROOT, "  %-16s vacuumed (freeze, analyze) in %.1f s%s%n", String.join(", ", tables),
                            Duration.between(began, Instant.now()).toMillis() / 1000.0, attempt == 1 ? "" : " (" + attempt + " passes)");
                    return;
                }
                if (attempt == SETTLE_TRIES) {
                    out.printf(Locale.ROOT, "  %-16s vacuumed (freeze, analyze) in %.1f s; pages marked all-visible: %s "
                                    + "(transactions open beside the vacuum; autovacuum finishes them later)%n", String.join(", ", tables),
                            Duration.between(began, Instant.now()).toMillis() / 1000.0, String.join(", ", notVisible));
                    return;
                }
                left = notVisible.stream().map(n -> n.substring(0, n.indexOf(' '))).toList();
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** How many vacuum passes a table gets at most while some of its pages are left not all-visible. */
    static final int SETTLE_TRIES = 5;

    private static String csv(Object... values) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            Object v = values[i];
            if (v == null) {
                continue;
            }
            String s = v.toString();
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0) {
                b.append('"').append(s.replace("\"", "\"\"")).append('"');
            } else {
                b.append(s);
            }
        }
        return b.toString();
    }

    private static String phone(long n) {
        return String.format(Locale.ROOT, "+86 139 %08d", n % 100_000_000L);
    }

    private static String ip(long n) {
        return "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    private static String amount(long n) {
        return (10 + n % 990) + "." + String.format(Locale.ROOT, "%02d", n % 100);
    }

    private static Instant at(long n) {
        return START.plusSeconds(n % 60_000_000L);
    }
}
