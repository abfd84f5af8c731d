package org.dsrflow.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The two pages of the console: the sign-in page (public) and the console itself (signed in). They
 * live outside the static folder so that nobody reaches the console's page without the security
 * check; their scripts and styles are under /assets.
 */
@RestController
class ConsolePages {

    @GetMapping("/login")
    ResponseEntity<String> login() throws IOException {
        return page("console/login.html");
    }

    @GetMapping({"/console", "/console/"})
    ResponseEntity<String> console() throws IOException {
        return page("console/index.html");
    }

    private static ResponseEntity<String> page(String path) throws IOException {
        try (InputStream in = new ClassPathResource(path).getInputStream()) {
            return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                    .header(HttpHeaders.CACHE_CONTROL, "no-store").body(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
