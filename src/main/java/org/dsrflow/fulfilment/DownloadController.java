package org.dsrflow.fulfilment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Map;

import org.dsrflow.ApiRefusal;
import org.dsrflow.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Hands an export package to whoever holds its link and the passcode mailed apart from it: once,
 * until the link expires. The page behind the link asks for the passcode; the download streams
 * the package decrypted, and the file is deleted as soon as it has been sent in full.
 */
@RestController
class DownloadController {
    /** Wrong passcodes after which the package is locked. */
    static final int MAX_PASSCODE_FAILURES = 5;
    private static final Logger log = LoggerFactory.getLogger(DownloadController.class);

    private final ExportPackager packages;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    DownloadController(ExportPackager packages, AuditLog audit, TransactionTemplate tx) {
        this.packages = packages;
        this.audit = audit;
        this.tx = tx;
    }

    /** The page the mailed link opens: a form for the passcode (English and Chinese). */
    @GetMapping("/download/{token}")
    ResponseEntity<?> page(@PathVariable String token) {
        ResponseEntity<Map<String, String>> refusal = refusal(packages.find(token).orElse(null));
        if (refusal != null) {
            return refusal;
        }
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Download your data · 下载您的数据</title><link rel="stylesheet" href="/assets/dsrflow.css"></head>
                <body><main class="page"><h1>Download your data · 下载您的数据</h1>
                <p>Enter the passcode from our separate mail. The link works once.<br>请输入我们另行发送的邮件中的提取码。此链接仅可使用一次。</p>
                <form method="post"><label for="passcode">Passcode · 提取码</label>
                <input id="passcode" name="passcode" inputmode="numeric" pattern="[0-9]{8}" autocomplete="off" required>
                <button class="button primary" type="submit">Download · 下载</button></form></main></body></html>
                """;
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Referrer-Policy", "no-referrer").body(html);
    }

    @PostMapping(path = "/download/{token}", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<StreamingResponseBody> download(@PathVariable String token,
                                                   @RequestParam(name = "passcode", required = false) String passcode) {
        ExportPackager.StoredPackage pkg = packages.find(token).orElse(null);
        ResponseEntity<Map<String, String>> refusal = refusal(pkg);
        if (refusal != null) {
            throw refused(refusal);
        }
        if (pkg.passcodeFailures() >= MAX_PASSCODE_FAILURES) {
            throw new ApiRefusal(429, "locked", "Too many wrong passcodes; this download is locked. Please make a new request.");
        }
        if (!packages.passcodeMatches(pkg, passcode == null ? null : passcode.trim())) {
            tx.executeWithoutResult(s -> {
                packages.countWrongPasscode(pkg.caseId());
                audit.append(pkg.caseId(), "requester", "export.passcode-failed", Map.of("attempt", pkg.passcodeFailures() + 1));
            });
            throw new ApiRefusal(403, "wrong_passcode", "The passcode is not correct.");
        }
        if (!packages.claim(pkg.caseId())) {
            throw new ApiRefusal(410, "used", "This download link has already been used.");
        }
        InputStream in;
        try {
            in = packages.open(pkg);
        } catch (IOException e) {
            packages.release(pkg.caseId());
            log.error("Export package of case {} cannot be opened: {}", pkg.caseId(), e.getMessage());
            throw new ApiRefusal(500, "unavailable", "The package cannot be opened; we have been alerted.");
        }
        StreamingResponseBody body = (OutputStream out) -> {
            try (InputStream source = in) {
                source.transferTo(out);
                out.flush();
            } catch (IOException e) {
                packages.release(pkg.caseId()); // broke off: the person may try again
                throw e;
            }
            tx.executeWithoutResult(s -> {
                packages.downloaded(pkg.caseId(), pkg.zip());
                audit.append(pkg.caseId(), "requester", "export.downloaded", Map.of());
            });
        };
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/zip"))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename("personal-data-" + pkg.caseId() + ".zip").build().toString())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(body);
    }

    private static ApiRefusal refused(ResponseEntity<Map<String, String>> refusal) {
        return new ApiRefusal(refusal.getStatusCode().value(), refusal.getBody().get("error"), refusal.getBody().get("message"));
    }

    private static ResponseEntity<Map<String, String>> refusal(ExportPackager.StoredPackage pkg) {
        if (pkg == null || pkg.sealed() == null) {
            return error(HttpStatus.NOT_FOUND, "not_found", "This download link is not valid.");
        }
        if (pkg.used()) {
            return error(HttpStatus.GONE, "used", "This download link has already been used.");
        }
        if (pkg.purged() || pkg.expiresAt().isBefore(Instant.now()) || !pkg.zip().toFile().isFile()) {
            return error(HttpStatus.GONE, "expired", "This download link has expired.");
        }
        return null;
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).body(Map.of("error", code, "message", message));
    }
}
