package io.tessera.compat;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from Debian's {@code chromium} and {@code chromium-driver} packages, installed with
 * apt-get when missing (CI machines are fresh Debian as root). The driver is named explicitly, so
 * Selenium Manager never runs and nothing is downloaded besides the Debian packages.
 */
final class Chromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final int WIDTH = 1280;
    static final int HEIGHT = 900;

    private Chromium() {
    }

    /** Installs the two packages if either binary is missing; fails the test (with why) if that is not possible. */
    static void ensureInstalled() throws IOException, InterruptedException {
        if (present()) {
            return;
        }
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            fail("the web console test needs Debian's chromium and chromium-driver (" + BROWSER + ", " + DRIVER
                    + ") and there is no apt-get to install them");
        }
        // A fresh machine may have no package lists yet: install, and on failure update and install again.
        if (!apt("install", "-y", "-q", "chromium", "chromium-driver")) {
            apt("update", "-q");
            apt("install", "-y", "-q", "chromium", "chromium-driver");
        }
        if (!present()) {
            fail("`apt-get install chromium chromium-driver` did not provide " + BROWSER + " and " + DRIVER
                    + " (needs Debian and root)");
        }
    }

    private static boolean present() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    private static boolean apt(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "apt-get";
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        if (!p.waitFor(8, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    /** A new headless browser with its own empty profile in {@code profile}, no network besides the test's. */
    static ChromeDriver start(Path profile) {
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=" + WIDTH + "," + HEIGHT, "--lang=en-US",
                "--user-data-dir=" + profile.toAbsolutePath());
        // The browser's console (CSP violations, script errors) is read back by the test.
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
