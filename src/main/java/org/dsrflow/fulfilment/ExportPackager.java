package org.dsrflow.fulfilment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.dsrflow.DsrflowSettings;
import org.dsrflow.cases.DsrCase;
import org.dsrflow.connector.ConnectorDescription;
import org.dsrflow.connector.ConnectorRegistry;
import org.dsrflow.verification.Secrets;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * Builds the access package: one JSON file per system (streamed to disk by the tasks), a manifest
 * of systems, data categories, purposes and retention, and a short readme in the requester's
 * language — zipped on disk and offered through an expiring link whose token is stored only as a hash.
 */
@Component("exportPackager")
public class ExportPackager {
    /** A built package: the encrypted file, what opens it, its link, and the passcode to send apart. */
    record Package(Path zip, long size, String link, String tokenHash, Instant expiresAt, PackageCipher.Sealed sealed, String passcode) {
    }

    private final DsrflowSettings settings;
    private final Secrets secrets;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final PackageCipher cipher;

    ExportPackager(DsrflowSettings settings, Secrets secrets, JdbcTemplate jdbc, ObjectMapper json, PackageCipher cipher) {
        this.cipher = cipher;
        this.settings = settings;
        this.secrets = secrets;
        this.jdbc = jdbc;
        this.json = json;
    }

    Path partFile(String caseId, String system) {
        return root().resolve(caseId).resolve(system + ".json");
    }

    /**
     * Writes one system's part of a package, encrypted like the package itself (the parts of a case
     * waiting on another system can sit on disk for hours). Each attempt writes a file of its own
     * and moves it into place whole: an attempt abandoned at its timeout that finishes later
     * cannot interleave with the attempt that replaced it.
     */
    <T> T writePart(String caseId, String system, PartWriter<T> writer) {
        Path part = partFile(caseId, system);
        Path attempt = part.resolveSibling(part.getFileName() + "." + java.util.UUID.randomUUID() + ".part");
        try {
            Files.createDirectories(part.getParent());
            Object[] result = new Object[1];
            cipher.writeSealed(attempt, caseId + "/" + system, out -> result[0] = writer.write(out));
            Files.move(attempt, part, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            @SuppressWarnings("unchecked")
            T written = (T) result[0];
            return written;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(attempt);
            } catch (IOException ignored) {
                // the parts folder is removed with the package
            }
            throw new UncheckedIOException("could not write the export of " + system, e);
        }
    }

    /** Whether a system's part of a case is on this instance's disk. */
    boolean hasPart(String caseId, String system) {
        return Files.exists(partFile(caseId, system));
    }

    /** Streams a system's records into the part's (encrypting) stream and says what it wrote. */
    @FunctionalInterface
    interface PartWriter<T> {
        T write(java.io.OutputStream out) throws IOException;
    }

    Package build(DsrCase c, ConnectorRegistry connectors, Map<String, Long> recordsPerSystem) {
        Path parts = root().resolve(c.id());
        Path zip = root().resolve(c.id() + ".zip.enc");
        Path partial = root().resolve(c.id() + ".zip.enc.part");
        try {
            Files.createDirectories(root());
            PackageCipher.Sealing sealing = cipher.create(partial);
            try (ZipOutputStream out = new ZipOutputStream(sealing.stream())) {
                add(out, "manifest.json", json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest(c, connectors, recordsPerSystem)));
                add(out, "README.txt", readme(c).getBytes(StandardCharsets.UTF_8));
                CsvParts csv = new CsvParts(json);
                for (String system : recordsPerSystem.keySet()) {
                    Path part = parts.resolve(system + ".json");
                    if (!Files.exists(part) && recordsPerSystem.get(system) > 0) {
                        // never a package that says "N records" and holds none (the conclusion sends a system
                        // whose part is missing back to export before building; this is the last guard)
                        throw new IOException("the part of " + system + " is missing (written on another instance, or removed)");
                    }
                    if (Files.exists(part)) {
                        out.putNextEntry(new ZipEntry(system + ".json"));
                        try (InputStream in = cipher.openSealed(part, c.id() + "/" + system)) {
                            in.transferTo(out);
                        }
                        out.closeEntry();
                        try (InputStream in = cipher.openSealed(part, c.id() + "/" + system)) {
                            csv.add(out, system, in);
                        }
                    }
                }
            }
            PackageCipher.Sealed sealed = sealing.seal();
            Files.move(partial, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            // the parts stay until the reply is committed (discardParts), so a failed reply can build again
            String token = secrets.urlToken();
            return new Package(zip, Files.size(zip), settings.publicUrl() + "/download/" + token, secrets.hash("download", token),
                    Instant.now().plus(settings.export().linkTtl()), sealed, secrets.passcode());
        } catch (IOException e) {
            throw new UncheckedIOException("could not build the export package", e);
        }
    }

    void register(String caseId, Package pkg) {
        jdbc.update("insert into export_package (case_id, path, token_hash, size_bytes, created_at, expires_at, wrapped_key, iv, mac, "
                        + "passcode_hash) values (?,?,?,?,?,?,?,?,?,?) "
                        + "on conflict (case_id) do update set path = excluded.path, token_hash = excluded.token_hash, "
                        + "size_bytes = excluded.size_bytes, created_at = excluded.created_at, expires_at = excluded.expires_at, "
                        + "wrapped_key = excluded.wrapped_key, iv = excluded.iv, mac = excluded.mac, passcode_hash = excluded.passcode_hash, "
                        + "passcode_failures = 0, used_at = null, purged_at = null",
                caseId, pkg.zip().toString(), pkg.tokenHash(), pkg.size(), Timestamp.from(Instant.now()), Timestamp.from(pkg.expiresAt()),
                pkg.sealed().wrappedKey(), pkg.sealed().iv(), pkg.sealed().mac(), secrets.hash("passcode:" + caseId, pkg.passcode()));
    }

    /** The package a download token opens, if the token is known. */
    Optional<StoredPackage> find(String token) {
        if (token == null || !token.matches("[A-Za-z0-9_-]{20,100}")) {
            return Optional.empty();
        }
        return jdbc.query("select case_id, path, expires_at, wrapped_key, iv, mac, passcode_hash, passcode_failures, used_at, purged_at "
                        + "from export_package where token_hash = ?",
                (rs, i) -> new StoredPackage(rs.getString("case_id"), Path.of(rs.getString("path")),
                        rs.getTimestamp("expires_at").toInstant(),
                        rs.getString("wrapped_key") == null ? null
                                : new PackageCipher.Sealed(rs.getString("wrapped_key"), rs.getString("iv"), rs.getString("mac")),
                        rs.getString("passcode_hash"), rs.getInt("passcode_failures"), rs.getTimestamp("used_at") != null,
                        rs.getTimestamp("purged_at") != null),
                secrets.hash("download", token)).stream().findFirst();
    }

    boolean passcodeMatches(StoredPackage pkg, String passcode) {
        return passcode != null && passcode.matches("\\d{8}") && pkg.passcodeHash() != null
                && Secrets.sameHash(secrets.hash("passcode:" + pkg.caseId(), passcode), pkg.passcodeHash());
    }

    void countWrongPasscode(String caseId) {
        jdbc.update("update export_package set passcode_failures = passcode_failures + 1 where case_id = ?", caseId);
    }

    /** Claims the single use; false if another download took it first. */
    boolean claim(String caseId) {
        return jdbc.update("update export_package set used_at = now() where case_id = ? and used_at is null", caseId) == 1;
    }

    /** Gives the single use back when a download broke off before the last byte. */
    void release(String caseId) {
        jdbc.update("update export_package set used_at = null where case_id = ?", caseId);
    }

    /** After the download: counted, and the file deleted at once. */
    void downloaded(String caseId, Path file) {
        jdbc.update("update export_package set downloads = downloads + 1, purged_at = now() where case_id = ?", caseId);
        deleteQuietly(file);
    }

    InputStream open(StoredPackage pkg) throws IOException {
        return cipher.open(pkg.zip(), pkg.sealed());
    }

    /** Deletes the files of packages whose link expired or was used; returns how many. The purge route calls it. */
    /** Deletes a case's parts once its package is registered and the reply committed. */
    void discardParts(String caseId) {
        try {
            FileSystemUtils.deleteRecursively(root().resolve(caseId));
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(ExportPackager.class).warn("Could not delete the parts of {}: {} (the purge retries)",
                    caseId, e.toString());
        }
    }

    public int purge() {
        // records of deferred answers whose closing answer never came (an abandoned task, a system sending rubbish)
        new org.dsrflow.connector.AnswerRecords(jdbc.getDataSource()).purgeOlderThan(java.time.Duration.ofDays(1));
        // parts left behind by a crash between the reply and their deletion
        jdbc.queryForList("select case_id from export_package where created_at < now() - interval '1 hour'", String.class).stream()
                .filter(id -> Files.isDirectory(root().resolve(id))).forEach(this::discardParts);
        List<Map<String, Object>> due = jdbc.queryForList("select case_id, path from export_package where purged_at is null "
                + "and (expires_at < now() or used_at is not null) order by expires_at limit 500");
        for (Map<String, Object> row : due) {
            deleteQuietly(Path.of((String) row.get("path")));
            jdbc.update("update export_package set purged_at = now() where case_id = ?", row.get("case_id"));
        }
        return due.size();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(ExportPackager.class).warn("Could not delete the package file {}: {}", file, e.toString());
        }
    }

    record StoredPackage(String caseId, Path zip, Instant expiresAt, PackageCipher.Sealed sealed, String passcodeHash,
                         int passcodeFailures, boolean used, boolean purged) {
    }

    private Map<String, Object> manifest(DsrCase c, ConnectorRegistry connectors, Map<String, Long> recordsPerSystem) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("reference", c.id());
        manifest.put("request", c.type().name());
        manifest.put("receivedAt", c.receivedAt().toString());
        manifest.put("verifiedAt", c.verifiedAt() == null ? null : c.verifiedAt().toString());
        manifest.put("generatedAt", Instant.now().toString());
        List<Map<String, Object>> systems = connectors.all().stream().map(connector -> {
            ConnectorDescription d = connector.describe();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("system", d.system());
            s.put("title", d.title());
            s.put("file", d.system() + ".json");
            s.put("records", recordsPerSystem.getOrDefault(d.system(), 0L));
            s.put("datasets", d.datasets());
            return s;
        }).toList();
        manifest.put("systems", systems);
        return manifest;
    }

    private String readme(DsrCase c) {
        if ("zh".equals(c.language())) {
            return "这是您的个人信息副本（请求编号 " + c.id() + "）。\n\n"
                    + "manifest.json 列出每个系统、其中的数据类别、我们持有这些数据的目的，以及依法保留的期限与依据。\n"
                    + "每个 <系统>.json 文件包含该系统中与您相关的全部记录；csv/<系统>/<表>.csv 以表格形式（每表一个文件）提供相同的记录。\n";
        }
        return "This is a copy of your personal data (request " + c.id() + ").\n\n"
                + "manifest.json lists each system, the categories of data in it, why we hold them, and what we keep by law, "
                + "for how long and on which legal basis.\n"
                + "Each <system>.json file holds every record about you in that system; csv/<system>/<table>.csv holds the same\n"
                + "records, one file per table, for a spreadsheet.\n";
    }

    private static void add(ZipOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(content);
        out.closeEntry();
    }

    private Path root() {
        return Path.of(settings.export().dir()).toAbsolutePath();
    }

}
