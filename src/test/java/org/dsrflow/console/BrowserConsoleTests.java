package org.dsrflow.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.dsrflow.cases.CaseStore;
import org.dsrflow.support.Chromium;
import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The console in a real headless browser (Debian's chromium through chromedriver; see
 * {@link Chromium} for how they are found or installed): an agent signs in, finds a request the
 * test made, extends its deadline, and sees the new due date on the page.
 */
class BrowserConsoleTests extends EmbeddedStackTest {
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static WebDriver browser;

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CaseStore cases;
    @Autowired
    TransactionTemplate tx;

    @BeforeAll
    static void startBrowser() throws Exception {
        Assumptions.assumeFalse("skip".equals(System.getProperty("dsrflow.browser")), "browser test skipped (-Ddsrflow.browser=skip)");
        Chromium.Found found = Chromium.locateOrInstall();
        if (found == null) {
            fail(Chromium.howToInstall());
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(found.browser().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1100",
                "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(found.driver().toFile()).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anAgentSignsInFindsARequestExtendsItAndSeesTheNewDueDate() throws Exception {
        Http.Reply created = new Http(port).postJson("/api/requests",
                "{\"type\":\"ACCESS\",\"email\":\"harper.quinn@example.org\",\"language\":\"en\"}");
        assertThat(created.status()).isEqualTo(201);
        String reference = created.json().path("reference").asText();
        // under gdpr the clock runs from receipt, so the unverified request already has a due date to extend
        tx.executeWithoutResult(s -> {
            jdbc.update("update dsr_case set policy = 'gdpr' where id = ?", reference);
            cases.refreshDue(reference);
        });
        Instant dueBefore = cases.get(reference).dueAt();
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        String base = "http://localhost:" + port;

        browser.get(base + "/console/");
        wait.until(ExpectedConditions.urlContains("/login"));
        browser.findElement(By.id("username")).sendKeys("agent");
        browser.findElement(By.id("password")).sendKeys("demo-only-password");
        browser.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("view"), "data-loaded", "/overview"));
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("agent (agent)");
        assertThat(browser.findElement(By.cssSelector("#tile-open .tile-value")).getText()).matches("\\d+");
        assertThat(browser.findElements(By.cssSelector("svg.chart rect.bar"))).as("the weekly charts have bars").isNotEmpty();
        screenshot("console-overview.png");

        browser.findElement(By.cssSelector("[data-nav=cases]")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("view"), "data-loaded", "/cases"));
        WebElement filter = browser.findElement(By.name("reference"));
        filter.sendKeys(reference);
        browser.findElement(By.cssSelector("#case-filters button[type=submit]")).click();
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-reference='" + reference + "']")));
        assertThat(row.findElement(By.cssSelector(".badge")).getText()).endsWith("days left");
        row.findElement(By.linkText(reference)).click();

        wait.until(ExpectedConditions.attributeToBe(By.id("view"), "data-loaded", "/case/" + reference));
        assertThat(browser.findElement(By.id("case-due")).getText()).isEqualTo(SHOWN.format(dueBefore.atZone(zone)));
        WebElement extend = browser.findElement(By.cssSelector("form[data-action=extend]"));
        extend.findElement(By.name("amount")).sendKeys("1");
        new Select(extend.findElement(By.name("unit"))).selectByValue("MONTHS");
        extend.findElement(By.name("reason")).sendKeys("Our archive must be restored before we can answer.");
        extend.findElement(By.cssSelector("button[type=submit]")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Extend the deadline: done."));
        Instant dueAfter = cases.get(reference).dueAt();
        assertThat(dueAfter).as("a month later").isAfter(dueBefore.plus(Duration.ofDays(27)));
        assertThat(browser.findElement(By.id("case-due")).getText()).isEqualTo(SHOWN.format(dueAfter.atZone(zone)));
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("deadline.extended by operator:agent");
        screenshot("console-case.png");
    }

    /** Leaves a picture of the page in target/browser for people to look at. */
    private static void screenshot(String name) throws java.io.IOException {
        Path shot = Path.of("target", "browser", name);
        Files.createDirectories(shot.getParent());
        Files.write(shot, ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
