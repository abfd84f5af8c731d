package org.dsrflow;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class DsrflowApplication {
    /**
     * Jakarta Mail finds its stream provider anew for every header it parses or encodes; without
     * this property it asks a ServiceLoader, which scans every jar of the application each time —
     * a tenth of all CPU under a wave of requests (BENCHMARKS.md, scenario 3). Named here, the
     * provider is one class lookup away. Static, so that tests starting the application get it too.
     */
    static final String MAIL_STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

    static {
        if (System.getProperty(MAIL_STREAM_PROVIDER) == null) {
            System.setProperty(MAIL_STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }

    public static void main(String[] args) {
        if (args.length > 0 && Commands.handles(args[0])) {
            System.exit(Commands.run(args, System.getenv(), System.out, System.err));
        }
        SpringApplication.run(DsrflowApplication.class, args);
    }
}
