export { Venue, type VenueReport, type VenueOptions, type Fees, type VenueStats } from './venue.js';
export { MarketMirror, SYNTH_BASE, MARKET_OWNER } from './market-mirror.js';
