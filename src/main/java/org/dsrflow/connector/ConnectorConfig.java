package org.dsrflow.connector;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class ConnectorConfig {

    @Bean
    ConnectorRegistry connectorRegistry(@Value("${dsrflow.connectors.location}") String location, Environment env,
                                        List<ConnectorFactory> factories) {
        return ConnectorRegistry.load(location, env,
                factories.stream().collect(Collectors.toMap(ConnectorFactory::type, Function.identity())));
    }

}
