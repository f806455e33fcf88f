// The refresh of bench-cluster-refresh done by the npm proxmox-api client (installed by ./run bench),
// wall and CPU time per round; with --parse FILE, JSON.parse + the LXC filter of one recorded body.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const ROUNDS = 20;

function summary(times, cpus, count) {
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  return `median ${median.toFixed(2).padStart(9)} ms   max ${times[times.length - 1].toFixed(2).padStart(9)} ms   ` +
         `CPU median ${cpus[Math.floor(cpus.length / 2)].toFixed(2)} ms   (${count} containers)`;
}

if (process.argv[2] === '--parse') {
  const text = readFileSync(process.argv[3], 'utf8');
  const times = [];
  const cpus = [];
  let containers = [];
  for (let i = 0; i <= ROUNDS; i++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    containers = JSON.parse(text).data.filter((r) => r.type === 'lxc');
    const cpu = process.cpuUsage(cpuStarted);
    if (i > 0) {
      times.push(performance.now() - started);
      cpus.push((cpu.user + cpu.system) / 1000);
    }
  }
  console.log(summary(times, cpus, containers.length));
  process.exit(0);
}

let proxmoxApi;
try {
  proxmoxApi = (await import('proxmox-api')).default;
} catch (error) {
  console.log('not run: the npm package proxmox-api is not installed (./run bench installs it)');
  process.exit(0);
}

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
const cpus = [];
let containers = [];
for (let i = 0; i <= ROUNDS; i++) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const resources = await api.cluster.resources.$get({ type: 'vm' });
  containers = resources.filter((r) => r.type === 'lxc');
  const cpu = process.cpuUsage(cpuStarted);
  if (i > 0) {
    times.push(performance.now() - started);
    cpus.push((cpu.user + cpu.system) / 1000);
  }
}
console.log(summary(times, cpus, containers.length));
