package org.dsrflow.fulfilment;

import java.time.Instant;
import java.util.Map;

import org.dsrflow.audit.AuditLog;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Serves an export package to whoever holds its link, until the link expires. */
@RestController
class DownloadController {
    private final ExportPackager packages;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    DownloadController(ExportPackager packages, AuditLog audit, TransactionTemplate tx) {
        this.packages = packages;
        this.audit = audit;
        this.tx = tx;
    }

    @GetMapping("/download/{token}")
    ResponseEntity<?> download(@PathVariable String token) {
        var found = packages.find(token);
        if (found.isEmpty()) {
            return error(HttpStatus.NOT_FOUND, "not_found", "This download link is not valid.");
        }
        var pkg = found.get();
        if (pkg.expiresAt().isBefore(Instant.now()) || !pkg.zip().toFile().isFile()) {
            return error(HttpStatus.GONE, "expired", "This download link has expired.");
        }
        tx.executeWithoutResult(s -> {
            packages.countDownload(pkg.caseId());
            audit.append(pkg.caseId(), "requester", "export.downloaded", Map.of());
        });
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/zip"))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename("personal-data-" + pkg.caseId() + ".zip").build().toString())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new FileSystemResource(pkg.zip()));
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).body(Map.of("error", code, "message", message));
    }
}
