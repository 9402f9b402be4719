package io.tessera.eurekafixture;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.netflix.eureka.server.EnableEurekaServer;

/**
 * A stand-alone Eureka server for the registry tests (settings in application.properties, port and
 * timings from the command line). A named package: Spring's component scan of the default package
 * would walk the whole classpath.
 */
@SpringBootApplication
@EnableEurekaServer
public class EurekaFixture {
    public static void main(String[] args) {
        SpringApplication.run(EurekaFixture.class, args);
    }
}
