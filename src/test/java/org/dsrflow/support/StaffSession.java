package org.dsrflow.support;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A member of staff using the console over HTTP as a browser would: the sign-in form with its CSRF
 * field, the session cookie, and the X-XSRF-TOKEN header on every change.
 */
public final class StaffSession {
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]*)\"");
    private final String base;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client;

    public StaffSession(int port) {
        this.base = "http://localhost:" + port;
        this.client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Signs in through the form; the answer is the redirect the form gives (to the console, or back with ?error). */
    public Http.Reply signIn(String user, String password) throws Exception {
        String page = get("/login").body();
        Matcher m = CSRF_FIELD.matcher(page);
        String csrf = m.find() ? m.group(1) : "";
        Http.Reply answer = form("/login", "username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(csrf));
        // a browser follows the redirect; that page load is what hands out the new session's CSRF token
        String next = answer.headers().firstValue("Location").orElse("");
        if (answer.status() == 302 && !next.isEmpty()) {
            get(URI.create(base).resolve(next).getRawPath());
        }
        return answer;
    }

    public Http.Reply form(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Http.Reply get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** A JSON POST with the CSRF header, as the console's script sends it. */
    public Http.Reply postJson(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header("X-XSRF-TOKEN", xsrf()).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A JSON POST without the CSRF header: what a forged cross-site form would send. */
    public Http.Reply postJsonWithoutCsrf(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public String xsrf() {
        return cookie("XSRF-TOKEN");
    }

    /** The value of a cookie the server set, or "" if it set none by that name. */
    public String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).map(HttpCookie::getValue)
                .findFirst().orElse("");
    }

    private Http.Reply send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Http.Reply(r.statusCode(), r.body(), r.headers());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
