// FIX 4.4 tags, message types and reason codes the session layer and the gateway use: one registry,
// numbers as the specification gives them.

export const Tag = {
  Account: 1,
  AvgPx: 6,
  BeginSeqNo: 7,
  BeginString: 8,
  BodyLength: 9,
  CheckSum: 10,
  ClOrdID: 11,
  CumQty: 14,
  EndSeqNo: 16,
  ExecID: 17,
  ExecInst: 18,
  LastPx: 31,
  LastQty: 32,
  MsgSeqNum: 34,
  MsgType: 35,
  NewSeqNo: 36,
  OrderID: 37,
  OrderQty: 38,
  OrdStatus: 39,
  OrdType: 40,
  OrigClOrdID: 41,
  PossDupFlag: 43,
  Price: 44,
  RefSeqNum: 45,
  SenderCompID: 49,
  SendingTime: 52,
  Side: 54,
  Symbol: 55,
  TargetCompID: 56,
  Text: 58,
  TimeInForce: 59,
  TransactTime: 60,
  EncryptMethod: 98,
  OrdRejReason: 103,
  CxlRejReason: 102,
  HeartBtInt: 108,
  TestReqID: 112,
  OrigSendingTime: 122,
  GapFillFlag: 123,
  ResetSeqNumFlag: 141,
  ExecType: 150,
  LeavesQty: 151,
  RefTagID: 371,
  RefMsgType: 372,
  SessionRejectReason: 373,
  BusinessRejectRefID: 379,
  BusinessRejectReason: 380,
  CxlRejResponseTo: 434,
  Username: 553,
  Password: 554,
  MassStatusReqID: 584,
  MassStatusReqType: 585,
  TotNumReports: 911,
  LastRptRequested: 912,
} as const;

export const MsgType = {
  Heartbeat: '0',
  TestRequest: '1',
  ResendRequest: '2',
  Reject: '3',
  SequenceReset: '4',
  Logout: '5',
  ExecutionReport: '8',
  OrderCancelReject: '9',
  Logon: 'A',
  NewOrderSingle: 'D',
  OrderCancelRequest: 'F',
  OrderCancelReplaceRequest: 'G',
  OrderStatusRequest: 'H',
  BusinessMessageReject: 'j',
  OrderMassStatusRequest: 'AF',
} as const;
export type MsgType = (typeof MsgType)[keyof typeof MsgType];

/** The session-level types: handled by the session, never handed to the application. */
export const ADMIN_TYPES: ReadonlySet<string> = new Set([MsgType.Heartbeat, MsgType.TestRequest, MsgType.ResendRequest, MsgType.Reject, MsgType.SequenceReset, MsgType.Logout, MsgType.Logon]);

/** Every FIX 4.4 MsgType value (35): anything else is refused with SessionRejectReason 11. */
export const FIX44_MSG_TYPES: ReadonlySet<string> = new Set(
  '0 1 2 3 4 5 6 7 8 9 A B C D E F G H J K L M N P Q R S T V W X Y Z a b c d e f g h i j k l m n o p q r s t u v w x y z AA AB AC AD AE AF AG AH AI AJ AK AL AM AN AO AP AQ AR AS AT AU AV AW AX AY AZ BA BB BC BD BE BF BG BH'.split(' '),
);

/** SessionRejectReason (373). */
export const SessionRejectReason = {
  InvalidTagNumber: 0,
  RequiredTagMissing: 1,
  TagNotDefinedForMessageType: 2,
  UndefinedTag: 3,
  TagWithoutValue: 4,
  ValueIncorrect: 5,
  IncorrectDataFormat: 6,
  CompIdProblem: 9,
  SendingTimeAccuracyProblem: 10,
  InvalidMsgType: 11,
  TagAppearsMoreThanOnce: 13,
  TagOutOfOrder: 14,
  Other: 99,
} as const;

/** BusinessRejectReason (380). */
export const BusinessRejectReason = {
  Other: 0,
  UnknownId: 1,
  UnknownSecurity: 2,
  UnsupportedMessageType: 3,
  ApplicationNotAvailable: 4,
  ConditionallyRequiredFieldMissing: 5,
  NotAuthorized: 6,
} as const;
