// Placeholder until the fixtures panel lands: mounts nothing and returns its cleanup.
export function mountFixturesPanel(container) {
  container.replaceChildren();
  return () => {};
}
