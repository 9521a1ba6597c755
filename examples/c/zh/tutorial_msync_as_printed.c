#include <sys/mman.h>
#include <sys/stat.h>
#include<fcntl.h>
#include<stdio.h>
#include<stdlib.h>
#include<unistd.h>
#include<error.h>
 
int main(int argc, char * argv[])
{
     int fd, nread;
     struct stat sb;
     char *mapped;
 
//打开文件
      if((fd = open(argv[1], O_RDWR)) < 0){
           perror("open") ;
      }   
 
//获取文件的属性
      if((fstat(fd, &sb)) == -1 ){
           perror("fstat") ;
      }   
      
     
//将文件映射至进程的地址空间
      if((mapped = mmap(NULL, sb.st_size, PROT_READ|\
               PROT_WRITE, MAP_SHARED, fd, o)) ==(void*) -1){
           perror("mmap") ;
      }   
     
//修改一个字符，同步到磁盘文件
      mapped[20] = '9';
      if((msync((void *)mapped, sb.st_size, MS_SYNC)) == -1){
           perror("msync") ;
      
//释放存储映射区
      if((munmap((void *)mapped,sb.st_size)) == -1){
           perror("munmap");  
      }   
                 
      return 0;
}

// title: The program in the tutorial “内存映射”, exactly as printed (it does not compile)
// title_zh: 教程《内存映射》中的程序，原样照录（无法编译）
// files: data.txt="0123456789abcdefghijklmnopqrstuvwxyz\n"
// args: data.txt
// engines: sim,real
// expect: compile error
// from: the tutorial “内存映射”, exactly as printed
// from_zh: 教程《内存映射》，原样照录
//
// 这是教程《内存映射》中的程序，逐字照录，连笔误也保留，
// 只在其后加了这段说明。它有两处错误，编译器
// 两处都会报告，什么也不运行：
//   28:44  'o' 未声明：偏移量本应是 0（零），而不是 o；
//   在输入末尾缺少一个 '}'：
//          if((msync(...)) == -1){ 这个块从未闭合。
// tutorial_msync.c 是改正后的程序。
