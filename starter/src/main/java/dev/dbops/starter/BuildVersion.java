package dev.dbops.starter;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code dbops --version}: the version and the git commit this jar was built from, as the build
 * wrote them ({@code src/build/BuildInfo.java}, run in generate-resources) into {@link #RESOURCE};
 * "unknown" for a build without git.
 */
final class BuildVersion implements IVersionProvider {
  static final String RESOURCE = "build-info.properties";

  @Override
  public String[] getVersion() {
    Properties p = properties();
    String commit = p.getProperty("commit", "unknown");
    return new String[] {
      "dbops "
          + p.getProperty("version", "unknown")
          + " (commit "
          + commit
          + (Boolean.parseBoolean(p.getProperty("dirty")) ? ", with uncommitted changes" : "")
          + ")"
    };
  }

  static Properties properties() {
    Properties p = new Properties();
    try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
      if (in != null) p.load(in);
    } catch (IOException e) {
      // Unreadable: every field reads "unknown".
    }
    return p;
  }
}
