// The public types of EcrRepository.notifyOnScanFindings: the finding severity and the options.
// The rules themselves are built in scan-findings-rules.ts.
import { aws_sns as sns } from 'aws-cdk-lib';

/**
 * The severity of an image scan finding, from most to least severe.
 */
export enum FindingSeverity {
  /** Critical. */
  CRITICAL = 'CRITICAL',
  /** High. */
  HIGH = 'HIGH',
  /** Medium. */
  MEDIUM = 'MEDIUM',
  /** Low. */
  LOW = 'LOW',
  /** Informational. */
  INFORMATIONAL = 'INFORMATIONAL',
}

/**
 * Options of `EcrRepository.notifyOnScanFindings`.
 */
export interface ScanFindingsNotificationOptions {
  /** The SNS topic that receives the scan events. */
  readonly topic: sns.ITopic;

  /**
   * Notify when a scan finds at least one vulnerability of this severity or worse.
   *
   * @default FindingSeverity.HIGH
   */
  readonly minimumSeverity?: FindingSeverity;

  /**
   * Also notify on Amazon Inspector findings, for repositories under ENHANCED registry scanning
   * (`EcrRegistryScanning`), which emit "Inspector2 Finding" events instead of "ECR Image Scan" events.
   *
   * @default false
   */
  readonly enhancedScanning?: boolean;
}
