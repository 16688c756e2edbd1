// Every test process: fetch closes an idle connection after 1 s. Tests block their event loop in
// spawnSync (the CLI, curl sessions) for many seconds; with the default keep-alive (the server's hint,
// ~70 s) a pooled socket the daemon closed meanwhile was reused at once: "fetch failed: other side closed".
import { Agent, setGlobalDispatcher } from 'undici';

setGlobalDispatcher(new Agent({ keepAliveTimeout: 1000, keepAliveMaxTimeout: 1000 }));
