export type IamErrorCode =
  | "InvalidName"
  | "InvalidRole"
  | "InvalidRootCredentials"
  | "TenantExists"
  | "NoSuchTenant"
  | "TenantNotEmpty"
  | "AccountExists"
  | "NoSuchAccount"
  | "NoSuchBinding"
  | "RootAccountImmutable";

const STATUS: Record<IamErrorCode, number> = {
  InvalidName: 400,
  InvalidRole: 400,
  InvalidRootCredentials: 400,
  TenantExists: 409,
  NoSuchTenant: 404,
  TenantNotEmpty: 409,
  AccountExists: 409,
  NoSuchAccount: 404,
  NoSuchBinding: 404,
  RootAccountImmutable: 409,
};

/** Errors of the accounts store; `status` is the HTTP status the management API answers with. */
export class IamError extends Error {
  readonly code: IamErrorCode;
  readonly status: number;
  constructor(code: IamErrorCode, message: string) {
    super(message);
    this.name = "IamError";
    this.code = code;
    this.status = STATUS[code];
  }
}
