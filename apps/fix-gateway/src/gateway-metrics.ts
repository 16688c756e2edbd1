import { counter, gauge } from '@hft/metrics';

export function gatewayMetrics() {
  return {
    sessions: gauge({ name: 'hft_fix_sessions_logged_on', help: 'FIX sessions logged on now, by SenderCompID', labelNames: ['session'] }),
    logons: counter({ name: 'hft_fix_logons_total', help: 'FIX logons, by SenderCompID and outcome (accepted, refused)', labelNames: ['session', 'outcome'] }),
    messagesIn: counter({ name: 'hft_fix_messages_received_total', help: 'FIX messages received, by MsgType', labelNames: ['msg_type'] }),
    garbled: counter({ name: 'hft_fix_garbled_total', help: 'Garbled input ignored (no BeginString, bad BodyLength or CheckSum), by reason', labelNames: ['reason'] }),
    rejects: counter({ name: 'hft_fix_session_rejects_total', help: 'Session-level Rejects (3) sent, by SessionRejectReason', labelNames: ['reason'] }),
    refused: counter({ name: 'hft_fix_refused_total', help: 'Application messages refused by the gateway (session Reject or BusinessMessageReject), by MsgType and reason', labelNames: ['msg_type', 'reason'] }),
    logouts: counter({ name: 'hft_fix_logouts_sent_total', help: 'Logouts we sent, by reason', labelNames: ['reason'] }),
    resendRequests: counter({ name: 'hft_fix_resend_requests_sent_total', help: 'ResendRequests sent on an inbound sequence gap' }),
    resent: counter({ name: 'hft_fix_messages_resent_total', help: 'Messages resent on a counterparty ResendRequest, by kind (message, gap_fill)', labelNames: ['kind'] }),
    orders: counter({ name: 'hft_fix_orders_total', help: 'NewOrderSingle outcomes at the gateway (sent_to_risk, rejected_by_gateway, denied)', labelNames: ['outcome'] }),
    replaces: counter({ name: 'hft_fix_replaces_total', help: 'OrderCancelReplaceRequest outcomes at the gateway', labelNames: ['outcome'] }),
    cancels: counter({ name: 'hft_fix_cancels_total', help: 'OrderCancelRequest outcomes at the gateway', labelNames: ['outcome'] }),
    reports: counter({ name: 'hft_fix_execution_reports_total', help: 'ExecutionReports sent (or queued for a disconnected session), by ExecType', labelNames: ['exec_type'] }),
  };
}
export type GatewayMetrics = ReturnType<typeof gatewayMetrics>;
