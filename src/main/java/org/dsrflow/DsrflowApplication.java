package org.dsrflow;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class DsrflowApplication {
    public static void main(String[] args) {
        SpringApplication.run(DsrflowApplication.class, args);
    }
}
