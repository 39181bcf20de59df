export declare function serverBuildIsCurrent(): boolean;
