package io.bubus.spring.autoconfigure;

import io.bubus.BaseEvent;
import io.bubus.BubusHandler;
import io.bubus.spring.autoconfigure.bridge.BubusBridgesAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class BubusConfigurationFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BubusAutoConfiguration.class, BubusBridgesAutoConfiguration.class));

	private final BubusConfigurationFailureAnalyzer analyzer = new BubusConfigurationFailureAnalyzer();

	@Test
	void aBusNameThatIsNoIdentifierIsReportedWithThePropertyAndTheAction() {
		this.contextRunner.withPropertyValues("bubus.buses.audit-log.max-history-size=5").run((context) -> {
			FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("Setting: bubus.buses.audit-log")
				.contains("Problem: a bus name must be a Java identifier");
			assertThat(analysis.getAction()).isEqualTo("rename the key");
		});
	}

	@Test
	void aHandlerNamingAnUnknownBusIsReportedWithTheMethod() {
		this.contextRunner.withBean(Auditor.class).run((context) -> {
			FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("Setting: @BubusHandler method Auditor.audit")
				.contains("names bus 'audit'");
			assertThat(analysis.getAction()).isEqualTo("add it under bubus.buses.audit or declare the bean");
		});
	}

	@Test
	void aBadHandlerTimeoutIsReportedWithTheAttribute() {
		this.contextRunner.withBean(SlowPoke.class).run((context) -> {
			FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("@BubusHandler method SlowPoke.handle")
				.contains("Problem: timeout");
			assertThat(analysis.getAction()).contains("\"250ms\"");
		});
	}

	@Test
	void aBridgeSettingErrorIsReportedWithItsProperty() {
		this.contextRunner.withPropertyValues("bubus.bridges.link.type=carrier-pigeon").run((context) -> {
			FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("Setting: bubus.bridges.link.type")
				.contains("'carrier-pigeon' is not a bridge type");
			assertThat(analysis.getAction())
				.isEqualTo("Correct bubus.bridges.link.type in the application's configuration.");
		});
	}

	@Test
	void otherFailuresAreLeftToOtherAnalyzers() {
		assertThat(this.analyzer.analyze(new IllegalStateException("database is down"))).isNull();
		assertThat(this.analyzer.analyze(new RuntimeException("bubus.name", null))).isNull();
	}

	@Test
	void aFailedStartupPrintsTheAnalysisInsteadOfAStackTrace(CapturedOutput output) {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("bubus.buses.audit-log.max-history-size=5")
			.run());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Setting: bubus.buses.audit-log")
			.contains("Action:")
			.contains("rename the key");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(BubusAutoConfiguration.class)
	static class App {

	}

	static class OrderPlaced extends BaseEvent<String> {

		public String orderId = "";

	}

	static class Auditor {

		@BubusHandler(bus = "audit")
		String audit(OrderPlaced event) {
			return "audited";
		}

	}

	static class SlowPoke {

		@BubusHandler(timeout = "soon")
		String handle(OrderPlaced event) {
			return "done";
		}

	}

}
