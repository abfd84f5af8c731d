package org.dsrflow.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The staff who may sign in, read once at start from {@code dsrflow.security.users} or the
 * {@code users-file}. A bad entry stops the start with a message naming it: an unknown role, a
 * password that is not hashed, a name given twice. Outside the demo ({@code demo-users-allowed: false})
 * a user whose password is the demo's is refused.
 */
public class StaffUsers implements UserDetailsService {
    private static final Logger log = LoggerFactory.getLogger(StaffUsers.class);
    /** The password of the demo's users; printed in the README, so never accepted in production. */
    public static final String DEMO_PASSWORD = "demo-only-password";
    private static final String NAME = "[A-Za-z0-9._@-]{1,64}";

    private final Map<String, UserDetails> users = new LinkedHashMap<>();
    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    public StaffUsers(SecuritySettings settings) {
        List<SecuritySettings.StaffUser> entries = settings.usersFile() == null || settings.usersFile().isBlank()
                ? settings.users() : readFile(Path.of(settings.usersFile()));
        for (SecuritySettings.StaffUser u : entries) {
            String where = "dsrflow.security.users: user '" + u.name() + "'";
            if (u.name() == null || !u.name().matches(NAME)) {
                throw new IllegalStateException(where + ": a name is letters, digits and ._@- (at most 64)");
            }
            if (users.containsKey(u.name())) {
                throw new IllegalStateException(where + " is listed twice");
            }
            String hash = u.passwordHash();
            if (hash == null || !hash.matches("\\{(bcrypt|pbkdf2@SpringSecurity_v5_8)}.+")) {
                throw new IllegalStateException(where + ": password-hash must be a hash with its prefix, e.g. {bcrypt}$2a$10$...; "
                        + "make one with: java -jar dsrflow.jar hash-password");
            }
            if (u.roles() == null || u.roles().isEmpty()) {
                throw new IllegalStateException(where + " has no role (manager, agent or admin)");
            }
            if (!settings.demoUsersAllowed() && encoder.matches(DEMO_PASSWORD, hash)) {
                throw new IllegalStateException(where + " has the demo password, which is public; set a real one");
            }
            List<SimpleGrantedAuthority> roles = u.roles().stream().map(Role::parse).distinct()
                    .map(r -> new SimpleGrantedAuthority(r.authority())).toList();
            users.put(u.name(), User.withUsername(u.name()).password(hash).authorities(roles).build());
        }
        if (users.isEmpty()) {
            log.warn("No console users are configured (dsrflow.security.users): nobody can sign in to the console");
        } else {
            log.info("Console users: {}", users.size());
        }
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        UserDetails u = users.get(username);
        if (u == null) {
            throw new UsernameNotFoundException("no such user");
        }
        // a copy: the authentication step erases the password of what it is given
        return User.withUserDetails(u).build();
    }

    public PasswordEncoder encoder() {
        return encoder;
    }

    private static List<SecuritySettings.StaffUser> readFile(Path file) {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("dsrflow.security.users-file " + file + " cannot be read: " + e.getMessage(), e);
        }
        JsonNode list = root == null ? null : root.get("users");
        if (list == null || !list.isArray()) {
            throw new IllegalStateException("dsrflow.security.users-file " + file + " must have a list 'users' of name, password-hash, roles");
        }
        List<SecuritySettings.StaffUser> out = new ArrayList<>();
        for (JsonNode u : list) {
            List<String> roles = new ArrayList<>();
            u.path("roles").forEach(r -> roles.add(r.asText()));
            out.add(new SecuritySettings.StaffUser(u.path("name").asText(null), u.path("password-hash").asText(null), roles));
        }
        return out;
    }
}
