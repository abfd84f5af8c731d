package org.dsrflow.fulfilment;

import java.io.IOException;
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
@Component
class ExportPackager {
    record Package(Path zip, long size, String link, String tokenHash, Instant expiresAt) {
    }

    private final DsrflowSettings settings;
    private final Secrets secrets;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    ExportPackager(DsrflowSettings settings, Secrets secrets, JdbcTemplate jdbc, ObjectMapper json) {
        this.settings = settings;
        this.secrets = secrets;
        this.jdbc = jdbc;
        this.json = json;
    }

    Path partFile(String caseId, String system) {
        return root().resolve(caseId).resolve(system + ".json");
    }

    Package build(DsrCase c, ConnectorRegistry connectors, Map<String, Long> recordsPerSystem) {
        Path parts = root().resolve(c.id());
        Path zip = root().resolve(c.id() + ".zip");
        Path partial = root().resolve(c.id() + ".zip.part");
        try {
            Files.createDirectories(root());
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(partial))) {
                add(out, "manifest.json", json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest(c, connectors, recordsPerSystem)));
                add(out, "README.txt", readme(c).getBytes(StandardCharsets.UTF_8));
                for (String system : recordsPerSystem.keySet()) {
                    Path part = parts.resolve(system + ".json");
                    if (Files.exists(part)) {
                        out.putNextEntry(new ZipEntry(system + ".json"));
                        Files.copy(part, out);
                        out.closeEntry();
                    }
                }
            }
            Files.move(partial, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            FileSystemUtils.deleteRecursively(parts);
            String token = secrets.urlToken();
            return new Package(zip, Files.size(zip), settings.publicUrl() + "/download/" + token, secrets.hash("download", token),
                    Instant.now().plus(settings.export().linkTtl()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not build the export package", e);
        }
    }

    void register(String caseId, Package pkg) {
        jdbc.update("insert into export_package (case_id, path, token_hash, size_bytes, created_at, expires_at) values (?,?,?,?,?,?) "
                        + "on conflict (case_id) do update set path = excluded.path, token_hash = excluded.token_hash, "
                        + "size_bytes = excluded.size_bytes, created_at = excluded.created_at, expires_at = excluded.expires_at",
                caseId, pkg.zip().toString(), pkg.tokenHash(), pkg.size(), Timestamp.from(Instant.now()), Timestamp.from(pkg.expiresAt()));
    }

    /** The package a download token opens, if the token is known. */
    Optional<StoredPackage> find(String token) {
        if (token == null || !token.matches("[A-Za-z0-9_-]{20,100}")) {
            return Optional.empty();
        }
        return jdbc.query("select case_id, path, expires_at from export_package where token_hash = ?",
                (rs, i) -> new StoredPackage(rs.getString("case_id"), Path.of(rs.getString("path")),
                        rs.getTimestamp("expires_at").toInstant()),
                secrets.hash("download", token)).stream().findFirst();
    }

    void countDownload(String caseId) {
        jdbc.update("update export_package set downloads = downloads + 1 where case_id = ?", caseId);
    }

    record StoredPackage(String caseId, Path zip, Instant expiresAt) {
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
                    + "每个 <系统>.json 文件包含该系统中与您相关的全部记录。\n";
        }
        return "This is a copy of your personal data (request " + c.id() + ").\n\n"
                + "manifest.json lists each system, the categories of data in it, why we hold them, and what we keep by law, "
                + "for how long and on which legal basis.\n"
                + "Each <system>.json file holds every record about you in that system.\n";
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
