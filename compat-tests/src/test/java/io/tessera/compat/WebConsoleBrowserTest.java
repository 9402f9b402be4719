package io.tessera.compat;

import static io.tessera.compat.SeataClient.AT_RESOURCE;
import static io.tessera.compat.SeataClient.TCC_RESOURCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.coordinator.testing.TestSecurity;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.model.BranchStatus;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The web console in a real browser (headless Chromium from Debian) against a three-node cluster with
 * transactions made by the real seata-all client: login, the transaction list, a filter, one
 * transaction's page with its branch and row lock, a control action through its confirmation (cancelled
 * once, then confirmed and replicated), and the cluster page with its live charts. Each page's DOM text is
 * asserted and a screenshot is saved and checked (PNG, full window size, not blank); with
 * {@code -Dwebconsole.screenshots=../docs/console} they are also written to the docs.
 */
@Timeout(150)
class WebConsoleBrowserTest extends RaftRegistryClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path browserDir;

    private static ChromeDriver browser;

    /** Outside the class's timeout: a fresh machine first installs Debian's chromium (a download of minutes). */
    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    static void startBrowser() throws Exception {
        Chromium.ensureInstalled();
        browser = Chromium.start(browserDir.resolve("profile"));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static GlobalTransaction begin(String name) throws Exception {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        tx.begin(60_000, name);
        RootContext.unbind();
        return tx;
    }

    private static void register(String xid, BranchType type, String resource, String lockKey) throws Exception {
        DefaultResourceManager.get().branchRegister(type, resource, null, xid, null, lockKey);
    }

    private static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private static List<WebElement> all(String css) {
        return browser.findElements(By.cssSelector(css));
    }

    private static void awaitText(String css, String expected) {
        await().atMost(WAIT).ignoreExceptions().until(() -> text(css).contains(expected));
    }

    @Test
    void operatorWalksThroughTheConsole() throws Exception {
        GlobalTransaction committed = begin("web-commit");
        register(committed.getXid(), BranchType.TCC, TCC_RESOURCE, null);
        committed.commit();
        GlobalTransaction rolledBack = begin("web-rollback");
        register(rolledBack.getXid(), BranchType.TCC, TCC_RESOURCE, null);
        rolledBack.rollback();
        // A client-chosen name with markup: the console must show it as text, never as HTML.
        GlobalTransaction open = begin("web-open <b>bold</b>");
        register(open.getXid(), BranchType.AT, AT_RESOURCE, "stock:1");
        GlobalTransaction stuck = begin("web-stuck");
        String sx = stuck.getXid();
        client.recorder.script(sx, (call, attempt) -> BranchStatus.PhaseTwo_RollbackFailed_Retryable);
        register(sx, BranchType.AT, AT_RESOURCE, "account:7");
        try {
            stuck.rollback();
        } catch (Exception retrying) {
            // The TM may report the retrying rollback as a failure; the coordinator keeps retrying.
        }
        cluster.awaitEndedEverywhere(committed.getXid(), GlobalStatus.Committed);
        cluster.awaitEndedEverywhere(rolledBack.getXid(), GlobalStatus.Rollbacked);
        await().atMost(WAIT).until(() -> cluster.liveStatus(cluster.leaderIndex(), sx)
                .filter(s -> s == GlobalStatus.RollbackRetrying).isPresent());

        // A follower serves the console as well as the leader (reads and actions are forwarded there).
        String base = "http://" + cluster.controlAddress(cluster.followerIndex());
        Screenshots shots = new Screenshots(browser, Path.of("target", "webconsole-screenshots"),
                System.getProperty("webconsole.screenshots", ""));

        // 1. Login: any page without a token leads there.
        browser.get(base + "/#/transactions");
        await().atMost(WAIT).ignoreExceptions().until(() -> browser.findElement(By.id("login-form")).isDisplayed());
        assertTrue(browser.getCurrentUrl().contains("#/login"), browser.getCurrentUrl());
        browser.findElement(By.id("username")).sendKeys(TestSecurity.ADMIN.username());
        browser.findElement(By.id("password")).sendKeys("wrong-password");
        browser.findElement(By.id("login-submit")).click();
        awaitText("#login-error", "wrong user name or password");
        browser.findElement(By.id("password")).clear();
        browser.findElement(By.id("password")).sendKeys(TestSecurity.ADMIN.password());
        shots.take("01-login", "Log in");
        browser.findElement(By.id("login-submit")).click();

        // 2. The transaction list (where the login was headed), newest first.
        await().atMost(WAIT).ignoreExceptions().until(() -> all("#tx-table tbody tr").size() == 4);
        List<String> xids = all("#tx-table tbody tr").stream().map(r -> r.getDomAttribute("data-xid")).toList();
        assertEquals(List.of(sx, open.getXid(), rolledBack.getXid(), committed.getXid()), xids);
        String list = text("#tx-table");
        for (String expected : List.of("RollbackRetrying", "Begin", "Rollbacked", "Committed", SeataClient.APP,
                SeataClient.GROUP, "web-stuck", "web-open <b>bold</b>", "web-commit")) {
            assertTrue(list.contains(expected), expected + " in " + list);
        }
        assertTrue(all("#tx-table b").isEmpty(), "a transaction name was rendered as HTML");
        assertEquals("Page 1 of 1 · 4 transactions", text("#page-info"));
        assertEquals("admin: " + TestSecurity.ADMIN.username(), text("#user"));
        shots.take("02-transactions", "Transactions");

        // 3. A filter: by transaction name.
        browser.findElement(By.id("f-transactionName")).sendKeys("web-stuck");
        browser.findElement(By.id("f-search")).click();
        await().atMost(WAIT).ignoreExceptions().until(() -> all("#tx-table tbody tr").size() == 1
                && text("#page-info").endsWith("· 1 transaction"));
        assertEquals(sx, all("#tx-table tbody tr").get(0).getDomAttribute("data-xid"));
        assertTrue(browser.getCurrentUrl().contains("transactionName=web-stuck"), browser.getCurrentUrl());
        shots.take("03-transactions-filtered", "Transactions filtered by name");

        // 4. One transaction: fields, its branch, its row lock, the actions its status allows.
        browser.findElement(By.linkText(sx)).click();
        awaitText("#tx-detail", "RollbackRetrying");
        String detail = text("#tx-detail");
        for (String expected : List.of("web-stuck", SeataClient.APP, SeataClient.GROUP, "live", "60000 ms")) {
            assertTrue(detail.contains(expected), expected + " in " + detail);
        }
        awaitText("#branches", AT_RESOURCE);
        assertTrue(text("#branches").contains("account:7"), text("#branches"));
        assertEquals(1, all("#branches tbody tr").size());
        awaitText("#locks", "account");
        assertTrue(text("#locks").contains("7"), text("#locks"));
        assertTrue(text("#tx-actions").contains("Stop retrying"), text("#tx-actions"));
        shots.take("04-transaction", "One transaction: branches and row locks");

        // 5. A control action behind its confirmation: cancelled first (nothing happens), then confirmed.
        browser.findElement(By.cssSelector("#tx-actions button[data-action=stop]")).click();
        await().atMost(WAIT).until(() -> browser.findElement(By.id("confirm-dialog")).isDisplayed());
        assertEquals("Stop retrying?", text("#confirm-title"));
        assertEquals("global transaction " + sx, text("#confirm-target"));
        browser.findElement(By.id("confirm-cancel")).click();
        await().atMost(WAIT).until(() -> !browser.findElement(By.id("confirm-dialog")).isDisplayed());
        assertEquals(GlobalStatus.RollbackRetrying, cluster.liveStatus(cluster.leaderIndex(), sx).orElseThrow());

        browser.findElement(By.cssSelector("#tx-actions button[data-action=stop]")).click();
        await().atMost(WAIT).until(() -> browser.findElement(By.id("confirm-dialog")).isDisplayed());
        shots.take("05-confirm", "Confirmation of a control action");
        browser.findElement(By.id("confirm-ok")).click();
        awaitText("#banner", "Stop retrying: done for global transaction " + sx);
        awaitText("#tx-detail", "StopRollbackOrRollbackRetry");
        awaitText("#tx-detail", "admin '" + TestSecurity.ADMIN.username() + "'");
        assertTrue(text("#tx-actions").contains("Start retrying"), text("#tx-actions"));
        // Read from the replicas' own state: seata-all 2.2.0's GlobalStatus has no status 20.
        await().atMost(WAIT).until(() -> IntStream.range(0, cluster.size()).allMatch(i -> cluster.node(i)
                .stateMachine().view().global(sx).filter(g -> g.status().name().equals("StopRollbackOrRollbackRetry"))
                .isPresent()));
        shots.take("06-after-action", "After the action");

        // 6. The cluster: members, roles, term, applied indexes, and the charts while transactions run.
        browser.findElement(By.id("nav-cluster")).click();
        await().atMost(WAIT).ignoreExceptions().until(() -> all("#members tbody tr").size() == 3);
        String members = text("#members");
        for (int i = 0; i < cluster.size(); i++) {
            assertTrue(members.contains(cluster.members().get(i).id()), members);
        }
        String leaderId = cluster.members().get(cluster.leaderIndex()).id();
        awaitText("#cluster-summary", "Leader " + leaderId + ", term ");
        assertTrue(members.contains("leader") && members.contains("voter"), members);
        awaitText("#this-node", "FOLLOWER");

        // 7. The leader's console (linked from the members table; a new address needs its own login): the
        //    charts while the client runs transactions (most requests reach the leader).
        browser.findElement(By.cssSelector("#members tr[data-node='" + leaderId + "'] a.open-console")).click();
        await().atMost(WAIT).ignoreExceptions().until(() -> browser.findElement(By.id("login-form")).isDisplayed());
        browser.findElement(By.id("username")).sendKeys(TestSecurity.ADMIN.username());
        browser.findElement(By.id("password")).sendKeys(TestSecurity.ADMIN.password());
        browser.findElement(By.id("login-submit")).click();
        awaitText("#this-node", "LEADER");
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            for (int i = 0; i < 5; i++) {
                GlobalTransaction load = begin("web-load");
                register(load.getXid(), BranchType.TCC, TCC_RESOURCE, null);
                load.commit();
            }
            return chartMax("chart-tps") > 0 && chartMax("chart-p99") > 0 && chartPoints("chart-pending") >= 5;
        });
        assertTrue(all("#chart-tps svg path.series").size() >= 1);
        shots.take("07-cluster", "Cluster and live charts");

        List<String> problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                // The wrong password above is answered 200 with code 401 (Seata's convention): no console error.
                .collect(Collectors.toList());
        assertEquals(List.of(), problems, "browser console errors (CSP violations, script errors)");
        shots.assertAllDistinct();
    }

    private static double chartMax(String id) {
        String max = browser.findElement(By.id(id)).getDomAttribute("data-max");
        return max == null || max.isEmpty() ? 0 : Double.parseDouble(max);
    }

    private static int chartPoints(String id) {
        return Integer.parseInt(browser.findElement(By.id(id)).getDomAttribute("data-points"));
    }

    /** Saves each page's screenshot and checks it is a real rendering: PNG, window size, many colours. */
    private static final class Screenshots {
        private final ChromeDriver browser;
        private final Path dir;
        private final Path docs;
        private final Set<Integer> hashes = new HashSet<>();
        private int taken;

        Screenshots(ChromeDriver browser, Path dir, String docs) throws IOException {
            this.browser = browser;
            this.dir = Files.createDirectories(dir);
            this.docs = docs.isBlank() ? null : Files.createDirectories(Path.of(docs));
        }

        void take(String name, String what) throws IOException {
            byte[] png = browser.getScreenshotAs(OutputType.BYTES);
            assertTrue(png.length > 15_000, what + ": screenshot of only " + png.length + " bytes");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertTrue(image != null, what + ": not a PNG");
            assertTrue(image.getWidth() >= Chromium.WIDTH * 0.9 && image.getHeight() >= Chromium.HEIGHT * 0.6,
                    what + ": " + image.getWidth() + "x" + image.getHeight());
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < image.getHeight(); y += 3) {
                for (int x = 0; x < image.getWidth(); x += 3) {
                    colours.add(image.getRGB(x, y));
                }
            }
            assertTrue(colours.size() > 40, what + ": only " + colours.size() + " colours (blank page?)");
            hashes.add(java.util.Arrays.hashCode(png));
            taken++;
            Files.write(dir.resolve(name + ".png"), png);
            if (docs != null) {
                Files.write(docs.resolve(name + ".png"), png);
            }
        }

        void assertAllDistinct() {
            assertEquals(taken, hashes.size(), "two pages rendered identically");
        }
    }
}
