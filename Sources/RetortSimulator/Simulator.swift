/// Placeholder until the traffic simulator lands.
public enum Simulator {}
