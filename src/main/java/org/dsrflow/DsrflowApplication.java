package org.dsrflow;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class DsrflowApplication {
    public static void main(String[] args) {
        if (args.length > 0 && Commands.handles(args[0])) {
            System.exit(Commands.run(args, System.getenv(), System.out, System.err));
        }
        SpringApplication.run(DsrflowApplication.class, args);
    }
}
