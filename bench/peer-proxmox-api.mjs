// The refresh of bench-cluster-refresh done by the npm proxmox-api client (installed by ./run bench).
import { performance } from 'node:perf_hooks';

let proxmoxApi;
try {
  proxmoxApi = (await import('proxmox-api')).default;
} catch (error) {
  console.log('not run: the npm package proxmox-api is not installed (./run bench installs it)');
  process.exit(0);
}

const ROUNDS = 20;
const url = new URL(process.env.PVE_URL);
const token = process.env.PVE_TOKEN;
const separator = token.lastIndexOf('=');
// NODE_EXTRA_CA_CERTS holds the lab's certificate: TLS stays verified, like Paddock.
const api = proxmoxApi({
  host: url.hostname,
  port: Number(url.port),
  tokenID: token.slice(0, separator),
  tokenSecret: token.slice(separator + 1),
});

const times = [];
let containers = [];
for (let i = 0; i <= ROUNDS; i++) {
  const started = performance.now();
  const resources = await api.cluster.resources.$get({ type: 'vm' });
  containers = resources.filter((r) => r.type === 'lxc');
  const elapsed = performance.now() - started;
  if (i > 0) times.push(elapsed);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`median ${median.toFixed(2).padStart(9)} ms   max ${times[times.length - 1].toFixed(2).padStart(9)} ms   (${containers.length} containers)`);
