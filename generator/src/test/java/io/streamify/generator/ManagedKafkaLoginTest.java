package io.streamify.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.junit.jupiter.api.Test;

/**
 * The generator can feed Google Cloud Managed Kafka: the SASL/OAUTHBEARER login handler named in
 * the deployment's client properties (terraform output kafka_client_properties) is on its runtime
 * classpath and is a Kafka callback handler with the constructor the client calls.
 */
class ManagedKafkaLoginTest {
  @Test
  void theManagedKafkaLoginHandlerIsAKafkaCallbackHandlerOnTheClasspath() throws Exception {
    Class<?> handler = Class.forName("com.google.cloud.hosted.kafka.auth.GcpLoginCallbackHandler");
    assertThat(AuthenticateCallbackHandler.class.isAssignableFrom(handler), is(true));
    // the client instantiates it by its public no-argument constructor (which, on a machine
    // without Google credentials, fails: so only its presence is checked here)
    assertThat(
        java.lang.reflect.Modifier.isPublic(handler.getConstructor().getModifiers()), is(true));
  }
}
